using System.Globalization;
using System.Text.Json;
using Sluice.Benchmarks.ForecasterData;
using StockForecaster.Calendar;

namespace StockForecaster.Tests.DataGen;

/// <summary>The benchmark data generator on a small data set: deterministic, Yahoo layout, NYSE dates, consistent bars.</summary>
public sealed class DataGenTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "datagen-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Write_SameSeed_GivesIdenticalBytesWhateverTheParallelism()
    {
        Write("a", seed: 7, parallelism: 1);
        Write("b", seed: 7, parallelism: 3);
        Write("c", seed: 8, parallelism: 1);

        foreach (string ticker in new[] { "T0001", "T0002", "T0003" })
        {
            byte[] a = File.ReadAllBytes(Path.Combine(_root, "a", ticker + ".csv"));
            Assert.Equal(a, File.ReadAllBytes(Path.Combine(_root, "b", ticker + ".csv")));
            Assert.NotEqual(a, File.ReadAllBytes(Path.Combine(_root, "c", ticker + ".csv")));
        }
    }

    [Fact]
    public void Write_TickerFiles_AreYahooLayoutOnNyseTradingDaysWithConsistentBars()
    {
        DataSetSummary summary = Write("out", seed: 1, parallelism: 2);

        IReadOnlyList<DateOnly> expectedDates = new NyseCalendar().TradingDays(new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31));
        Assert.Equal(3 * expectedDates.Count, summary.Rows);
        foreach (string ticker in new[] { "T0001", "T0002", "T0003" })
        {
            string[] lines = File.ReadAllLines(Path.Combine(_root, "out", ticker + ".csv"));
            Assert.Equal("Date,Open,High,Low,Close,Adj Close,Volume", lines[0]);
            Assert.Equal(expectedDates, lines.Skip(1).Select(l => DateOnly.ParseExact(l[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture)));
            foreach (string line in lines.Skip(1))
            {
                double[] p = line.Split(',')[1..6].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                (double open, double high, double low, double close, double adjClose) = (p[0], p[1], p[2], p[3], p[4]);
                Assert.True(low > 0 && low <= Math.Min(open, close) && Math.Max(open, close) <= high, $"{ticker}: inconsistent bar '{line}'");
                Assert.Equal(close, adjClose);
                Assert.True(long.Parse(line.Split(',')[6], CultureInfo.InvariantCulture) > 0, $"{ticker}: no volume in '{line}'");
            }
        }
    }

    [Fact]
    public void Write_SourcesJson_ListsEveryTickerUnderTheFolderAsGiven()
    {
        string outDirectory = Path.Combine(_root, "listed");
        Write("listed", seed: 1, parallelism: 1);

        using JsonDocument sources = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDirectory, "sources.json")));
        Assert.Equal(
            ["T0001", "T0002", "T0003"],
            sources.RootElement.EnumerateArray().Select(e => e.GetProperty("Ticker").GetString()));
        Assert.Equal(
            new[] { "T0001", "T0002", "T0003" }.Select(t => outDirectory + "/" + t + ".csv"),
            sources.RootElement.EnumerateArray().Select(e => e.GetProperty("Path").GetString()));
        Assert.Empty(Directory.GetFiles(outDirectory, "*.tmp"));
    }

    private DataSetSummary Write(string folder, int seed, int parallelism) => DataSetWriter.Write(new GeneratorOptions
    {
        Tickers = 3,
        Years = 2,
        Seed = seed,
        Parallelism = parallelism,
        OutputDirectory = Path.Combine(_root, folder),
        SourcePath = Path.Combine(AppContext.BaseDirectory, "forecaster", "data", "sp500-2000.csv"),
    });
}
