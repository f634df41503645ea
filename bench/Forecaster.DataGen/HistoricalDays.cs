using System.Globalization;

namespace Sluice.Benchmarks.ForecasterData;

/// <summary>A real daily series taken apart into what the bootstrap resamples: each day's move relative to the close before it.</summary>
/// <remarks>
/// Day t (from the second row on) is stored as logarithms relative to the previous close C(t-1), so a
/// resampled day can be laid onto any price level: the close's return ln(C/C(t-1)), the opening gap
/// ln(O/C(t-1)), and the wicks ln(H/max(O,C)) and ln(min(O,C)/L), which are never negative. Keeping the
/// four together per day keeps their real joint behaviour (wide ranges on big-move days).
/// </remarks>
public sealed class HistoricalDays
{
    private HistoricalDays(double[] closeReturn, double[] openGap, double[] upperWick, double[] lowerWick, long[] volume)
    {
        CloseReturn = closeReturn;
        OpenGap = openGap;
        UpperWick = upperWick;
        LowerWick = lowerWick;
        Volume = volume;
    }

    /// <summary>Gets the number of days (one fewer than the rows of the source).</summary>
    public int Count => CloseReturn.Length;

    /// <summary>Gets each day's log return close to close.</summary>
    public double[] CloseReturn { get; }

    /// <summary>Gets each day's log return from the previous close to the open.</summary>
    public double[] OpenGap { get; }

    /// <summary>Gets each day's log distance from the higher of open and close up to the high (0 or more).</summary>
    public double[] UpperWick { get; }

    /// <summary>Gets each day's log distance from the lower of open and close down to the low (0 or more).</summary>
    public double[] LowerWick { get; }

    /// <summary>Gets each day's traded volume.</summary>
    public long[] Volume { get; }

    /// <summary>Reads a Yahoo-layout CSV (date, open, high, low, close, adjusted close, volume; header in any case), sorted by date.</summary>
    /// <exception cref="InvalidDataException">The header lacks a column, a value does not parse, or a price is not positive.</exception>
    public static HistoricalDays Load(string path)
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"'{path}' is empty: expected a header line.");
        string[] names = header.Split(',');
        int open = Column(names, "open", path), high = Column(names, "high", path), low = Column(names, "low", path);
        int close = Column(names, "close", path), volume = Column(names, "volume", path);

        var rows = new List<(double Open, double High, double Low, double Close, long Volume)>(6000);
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            rows.Add((Price(cells, open, path, lineNumber), Price(cells, high, path, lineNumber), Price(cells, low, path, lineNumber),
                Price(cells, close, path, lineNumber), long.Parse(cells[volume], NumberStyles.Integer, CultureInfo.InvariantCulture)));
        }

        if (rows.Count < 2)
        {
            throw new InvalidDataException($"'{path}' has {rows.Count} data rows: at least 2 are needed for one return.");
        }

        int n = rows.Count - 1;
        var closeReturn = new double[n];
        var openGap = new double[n];
        var upperWick = new double[n];
        var lowerWick = new double[n];
        var volumes = new long[n];
        for (int t = 0; t < n; t++)
        {
            double previousClose = rows[t].Close;
            var day = rows[t + 1];
            closeReturn[t] = Math.Log(day.Close / previousClose);
            openGap[t] = Math.Log(day.Open / previousClose);

            // Clamped at 0 so a source with a high below its close cannot make an inconsistent synthetic bar.
            upperWick[t] = Math.Max(0, Math.Log(day.High / Math.Max(day.Open, day.Close)));
            lowerWick[t] = Math.Max(0, Math.Log(Math.Min(day.Open, day.Close) / day.Low));
            volumes[t] = day.Volume;
        }

        return new HistoricalDays(closeReturn, openGap, upperWick, lowerWick, volumes);
    }

    private static int Column(string[] names, string name, string path)
    {
        int i = Array.FindIndex(names, n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i : throw new InvalidDataException($"'{path}' has no '{name}' column; its header is '{string.Join(',', names)}'.");
    }

    private static double Price(string[] cells, int column, string path, int lineNumber)
    {
        if (!double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0))
        {
            throw new InvalidDataException($"'{path}' line {lineNumber}, column {column + 1}: '{cells[column]}' is not a positive price.");
        }

        return value;
    }
}
