using System.Globalization;

namespace Sluice.Benchmarks.ForecasterData;

/// <summary>Writes bars in Yahoo Finance's CSV layout, as UTF-8 bytes, prices with six decimals as Yahoo gives them.</summary>
public static class YahooCsv
{
    /// <summary>The header line, exactly as Yahoo writes it.</summary>
    public const string Header = "Date,Open,High,Low,Close,Adj Close,Volume";

    // A date (10), five prices of at most 13 integer digits and 7 for the point and decimals, a volume
    // of at most 19 digits, six commas and a newline.
    private const int MaxRowBytes = 10 + (5 * 20) + 19 + 6 + 1;

    private static readonly byte[] HeaderLine = System.Text.Encoding.ASCII.GetBytes(Header + "\n");

    /// <summary>Returns the buffer size that always holds a file of <paramref name="rows"/> rows.</summary>
    public static int MaxBytes(int rows) => HeaderLine.Length + (rows * MaxRowBytes);

    /// <summary>Writes the header and one line per bar into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The series and the dates differ in length, or <paramref name="destination"/> is smaller than <see cref="MaxBytes"/>.</exception>
    public static int Write(SyntheticSeries series, IReadOnlyList<DateOnly> dates, Span<byte> destination)
    {
        if (series.Close.Length != dates.Count)
        {
            throw new ArgumentException($"Ticker {series.Ticker} has {series.Close.Length} bars for {dates.Count} dates; generate it for these dates.", nameof(dates));
        }

        if (destination.Length < MaxBytes(dates.Count))
        {
            throw new ArgumentException($"The buffer holds {destination.Length} bytes; {dates.Count} rows need up to {MaxBytes(dates.Count)} (MaxBytes).", nameof(destination));
        }

        HeaderLine.CopyTo(destination);
        int at = HeaderLine.Length;
        for (int t = 0; t < dates.Count; t++)
        {
            dates[t].TryFormat(destination[at..], out int written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            at += written;
            at += Price(series.Open[t], destination[at..]);
            at += Price(series.High[t], destination[at..]);
            at += Price(series.Low[t], destination[at..]);
            at += Price(series.Close[t], destination[at..]);
            at += Price(series.Close[t], destination[at..]);
            destination[at++] = (byte)',';
            series.Volume[t].TryFormat(destination[at..], out written, default, CultureInfo.InvariantCulture);
            at += written;
            destination[at++] = (byte)'\n';
        }

        return at;
    }

    // Writes ",<price to six decimals>" by fixed-point arithmetic: several times faster than general
    // double formatting, and rounding through one multiply and Math.Round keeps the order of values.
    private static int Price(double value, Span<byte> destination)
    {
        if (!(value > 0 && value < 1e12))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A generated price left (0, 1e12); lower the volatility scale or the number of years.");
        }

        long micros = (long)Math.Round(value * 1_000_000);
        long whole = Math.DivRem(micros, 1_000_000, out long fraction);
        destination[0] = (byte)',';
        whole.TryFormat(destination[1..], out int written, default, CultureInfo.InvariantCulture);
        int point = 1 + written;
        destination[point] = (byte)'.';
        for (int k = 6; k >= 1; k--)
        {
            destination[point + k] = (byte)('0' + (int)(fraction % 10));
            fraction /= 10;
        }

        return point + 7;
    }
}
