using System.Text.Json;
using StockForecaster.Calendar;

namespace Sluice.Benchmarks.ForecasterData;

/// <summary>Writes a benchmark data set: one Yahoo-layout CSV per ticker on real NYSE dates, and sources.json listing them.</summary>
public static class DataSetWriter
{
    /// <summary>The name of the file listing the generated tickers, in the output folder.</summary>
    public const string SourcesFileName = "sources.json";

    /// <summary>Generates and writes the data set <paramref name="options"/> describe; the same options give byte-identical files.</summary>
    /// <exception cref="ArgumentException">The options are not valid; the message lists every problem.</exception>
    public static DataSetSummary Write(GeneratorOptions options)
    {
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        HistoricalDays history = HistoricalDays.Load(options.SourcePath);
        IReadOnlyList<DateOnly> dates = new NyseCalendar().TradingDays(options.EndDate.AddYears(-options.Years).AddDays(1), options.EndDate);
        var generator = new BootstrapGenerator(history, dates.Count, options.Seed, options.MeanBlockLength);
        Directory.CreateDirectory(options.OutputDirectory);

        long bytes = 0;
        Parallel.For(1, options.Tickers + 1, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism },
            () => new byte[YahooCsv.MaxBytes(dates.Count)],
            (number, _, buffer) =>
            {
                SyntheticSeries series = generator.Generate(number);
                int length = YahooCsv.Write(series, dates, buffer);
                WriteAtomically(Path.Combine(options.OutputDirectory, series.Ticker + ".csv"), buffer.AsSpan(0, length));
                Interlocked.Add(ref bytes, length);
                return buffer;
            },
            _ => { });

        SourceEntry[] entries = Enumerable.Range(1, options.Tickers)
            .Select(number => BootstrapGenerator.TickerName(number))
            .Select(ticker => new SourceEntry(ticker, PathAsGiven(options.OutputDirectory, ticker + ".csv")))
            .ToArray();
        string sourcesPath = Path.Combine(options.OutputDirectory, SourcesFileName);
        WriteAtomically(sourcesPath, JsonSerializer.SerializeToUtf8Bytes(entries));

        return new DataSetSummary(options.Tickers, (long)options.Tickers * dates.Count, bytes,
            dates.Count > 0 ? dates[0] : default, dates.Count > 0 ? dates[^1] : default, sourcesPath);
    }

    // The folder exactly as the user typed it, so a relative --out gives paths relative to where the
    // forecaster is run from, as its configuration expects.
    private static string PathAsGiven(string directory, string fileName) =>
        directory.EndsWith('/') || directory.EndsWith('\\') ? directory + fileName : directory + "/" + fileName;

    // Temp file and rename, so a reader never sees half a file. No fsync: these are benchmark inputs,
    // and after a crash they are generated again.
    private static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.None, content.Length))
        {
            RandomAccess.Write(handle, content, 0);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
