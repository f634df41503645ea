using System.Globalization;
using StockForecaster.Data;

namespace StockForecaster.Tests.Models;

/// <summary>The bundled S&amp;P 500 series (2000-01-03 to 2020-04-17), read from the copy in the test output.</summary>
internal static class Sp500
{
    private static readonly Lazy<PriceSeries> Cached = new(Load);

    /// <summary>Gets the series as ticker "SPX".</summary>
    public static PriceSeries Series => Cached.Value;

    private static PriceSeries Load()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "forecaster", "data", "sp500-2000.csv"));
        Assert.Equal("date,open,high,low,close,adjclose,volume", lines[0]);
        int n = lines.Length - 1;
        var dates = new DateOnly[n];
        var columns = new double[5][];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = new double[n];
        }

        var volume = new long[n];
        for (int i = 0; i < n; i++)
        {
            string[] fields = lines[i + 1].Split(',');
            dates[i] = DateOnly.ParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c][i] = double.Parse(fields[c + 1], CultureInfo.InvariantCulture);
            }

            volume[i] = long.Parse(fields[6], CultureInfo.InvariantCulture);
        }

        return new PriceSeries
        {
            Ticker = "SPX",
            Dates = dates,
            Open = columns[0],
            High = columns[1],
            Low = columns[2],
            Close = columns[3],
            AdjClose = columns[4],
            Volume = volume,
        };
    }
}
