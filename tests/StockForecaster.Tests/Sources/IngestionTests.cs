using System.Text;
using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Sources;
using Xunit.Abstractions;

namespace StockForecaster.Tests.Sources;

public sealed class IngestionTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempProject _project = new();
    private readonly RecordingLogger _logger = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_DefaultSettings_ReadsTheBundledSp500AsSpx()
    {
        _project.CopyBundledData();

        RawPrices prices = await RunAsync(new IngestSettings());

        RawSeries spx = Assert.Single(prices.Series);
        Assert.Equal(("SPX", "csv", "data/sp500-2000.csv", 5105), (spx.Ticker, spx.Source.Kind, spx.Source.Location, spx.Lines.Length));
    }

    [Fact]
    public async Task Run_ManySources_KeepConfigurationOrderAndLogEachBoundary()
    {
        var settings = new IngestSettings();
        for (int i = 0; i < 200; i++)
        {
            // Sizes vary so files finish out of order when read in parallel.
            string path = _project.Write($"data/t{i}.csv", Csv(lines: (i * 37 % 200) + 1, seed: i));
            settings.Sources.Add(new SourceSettings { Ticker = $"t{i}", Kind = "csv", Path = path });
        }

        RawPrices prices = await RunAsync(settings);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"T{i}"), prices.Series.Select(s => s.Ticker));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"data/t{i}.csv"), prices.Series.Select(s => s.Source.Location));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (i * 37 % 200) + 1), prices.Series.Select(s => s.Lines.Length));
        Assert.Equal(200, _logger.Lines.Count(l => l.EventName == "SourceStarted"));
        LogLine finished = Assert.Single(_logger.Lines, l => l.EventName == "SourceFinished" && (string)l.Values["Ticker"]! == "T7");
        Assert.Equal((60, 60 * 23L + 11), ((int)finished.Values["Rows"]!, (long)finished.Values["Bytes"]!));
        Assert.Single(_logger.Lines, l => l.EventName == "Finished");
    }

    [Fact]
    public async Task Run_OneSourceFails_ThrowsItsDataValidationException()
    {
        var settings = new IngestSettings();
        settings.Sources.Add(new SourceSettings { Ticker = "OK", Path = _project.Write("ok.csv", Csv(3, 1)) });
        settings.Sources.Add(new SourceSettings { Ticker = "GONE", Path = "gone.csv" });

        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(settings));

        Assert.StartsWith("gone.csv (ticker GONE) does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidSettings_FailsListingEveryProblem()
    {
        var settings = new IngestSettings();
        settings.Sources.Add(new SourceSettings { Ticker = "A", Kind = "yahoo" });
        settings.Sources.Add(new SourceSettings { Ticker = "B", Kind = "csv" });
        settings.AlphaVantage.MaxAttempts = 0;

        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(settings));

        Assert.Contains("Ingest:Sources:0:Kind: Use csv or alphavantage.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Ingest:Sources:1:Path: A csv source needs a Path", e.Message, StringComparison.Ordinal);
        Assert.Contains("Ingest:AlphaVantage:MaxAttempts: The field MaxAttempts must be between 1 and 20.", e.Message, StringComparison.Ordinal);
    }

    // 500 files x the bundled file's first 5,000 lines (about 175 MB) when INGEST_THROUGHPUT_FILES=500; a smaller run otherwise, which still checks order and totals.
    [Fact]
    public async Task Run_ThousandsOfLinesPerFile_ReadsInParallelAndReportsThroughput()
    {
        int files = int.TryParse(Environment.GetEnvironmentVariable("INGEST_THROUGHPUT_FILES"), out int n) ? n : 40;
        const int Lines = 5_000;
        var settings = new IngestSettings();
        string content = string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "forecaster", "data", "sp500-2000.csv")).Take(Lines + 1)) + "\n";
        for (int i = 0; i < files; i++)
        {
            settings.Sources.Add(new SourceSettings { Ticker = $"S{i}", Path = _project.Write($"data/s{i}.csv", content) });
        }

        long bytes = Encoding.UTF8.GetByteCount(content) * (long)files;
        await RunAsync(settings);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        TimeSpan gcBefore = GC.GetTotalPauseDuration();
        int gen2Before = GC.CollectionCount(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RawPrices prices = await RunAsync(settings);
        clock.Stop();
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpuBefore;

        // CPU time is reported beside wall time because the machine may be shared: wall time alone measures the neighbours.
        output.WriteLine(
            $"{files} files x {Lines} lines, {bytes / 1e6:0.0} MB in {clock.Elapsed.TotalMilliseconds:0} ms wall ({bytes / 1e6 / clock.Elapsed.TotalSeconds:0} MB/s), " +
            $"{cpu.TotalMilliseconds:0} ms CPU ({bytes / 1e6 / cpu.TotalSeconds:0} MB per CPU-second) on {Environment.ProcessorCount} cores; " +
            $"GC paused {(GC.GetTotalPauseDuration() - gcBefore).TotalMilliseconds:0} ms ({GC.CollectionCount(2) - gen2Before} gen2)");
        Assert.Equal(files, prices.Series.Length);
        Assert.All(prices.Series, s => Assert.Equal(Lines, s.Lines.Length));
        Assert.Equal(Enumerable.Range(0, files).Select(i => $"S{i}"), prices.Series.Select(s => s.Ticker));
    }

    // Each line is 23 bytes, the header 11.
    private static string Csv(int lines, int seed)
    {
        var text = new StringBuilder("Date,Close\n");
        for (int i = 0; i < lines; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"20{i % 100:00}-01-{i % 28 + 1:00},{seed % 10}{i % 10}00.125000\n");
        }

        return text.ToString();
    }

    private Task<RawPrices> RunAsync(IngestSettings settings) =>
        Ingestion.RunAsync(settings, _project.Root, new ProjectSecretSource(_project.Root, _ => null), new HttpClient(), TimeProvider.System, _logger, CancellationToken.None);
}
