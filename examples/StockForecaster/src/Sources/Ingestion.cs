using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;
using StockForecaster.Data;

namespace StockForecaster.Sources;

/// <summary>The ingest step: fetches every configured source and splits it into header and lines, without judging the values.</summary>
public static class Ingestion
{
    // Used when the step's services offer no HttpClient; one client for the process, as HttpClient is meant to be used.
    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }));

    /// <summary>Runs ingest inside a Sluice step: secrets and HttpClient come from the step's services when registered, else from the project and a shared client.</summary>
    public static async Task<RawPrices> RunAsync(IngestSettings settings, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ISecretSource secrets = context.Services.GetService(typeof(ISecretSource)) as ISecretSource ?? new ProjectSecretSource(context.ProjectDirectory);
        HttpClient http = context.Services.GetService(typeof(HttpClient)) as HttpClient ?? SharedHttp.Value;
        RawPrices raw = await RunAsync(settings, context.ProjectDirectory, secrets, http, context.Time, context.Logger, context.CancellationToken).ConfigureAwait(false);
        context.Metrics.Record("tickers", raw.Series.Length);
        context.Metrics.Record("rows_ingested", raw.Series.Sum(s => (long)s.Lines.Length));
        context.Metrics.Record("bytes_read", raw.Series.Sum(s => s.Source.Bytes), "By");
        return raw;
    }

    /// <summary>Reads every source of <paramref name="settings"/> into one <see cref="RawSeries"/> each, in configuration order.</summary>
    /// <remarks>
    /// CSV files are read in parallel, one per core; Alpha Vantage series are fetched one at a time, alongside the files,
    /// because the API limits requests per key. The first failure cancels the rest and is thrown: a
    /// <see cref="DataValidationException"/> when retrying cannot help (missing file or secret, rejected key, malformed
    /// answer), or, once the API's retries are spent, an <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
    /// </remarks>
    public static async Task<RawPrices> RunAsync(
        IngestSettings settings, string projectDirectory, ISecretSource secrets, HttpClient http, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ThrowIfInvalid(settings);

        long started = time.GetTimestamp();
        IReadOnlyList<SourceSettings> sources = settings.EffectiveSources();
        var files = new List<int>();
        var apis = new List<int>();
        for (int i = 0; i < sources.Count; i++)
        {
            (sources[i].Kind == SourceSettings.CsvKind ? files : apis).Add(i);
        }

        // Resolved before any work starts, so a missing key fails the step at once rather than after the files are read.
        AlphaVantageSource? api = apis.Count == 0 ? null : new AlphaVantageSource(http, settings.AlphaVantage, ApiKey(settings.AlphaVantage, secrets), time, logger);
        var results = new RawSeries[sources.Count];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task CancelOthersOnFailure(Func<CancellationToken, Task> work)
        {
            try
            {
                await work(failed.Token).ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        Task reading = CancelOthersOnFailure(token => Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = token },
            (i, t) =>
            {
                SourceSettings source = sources[i];
                string ticker = source.Ticker.ToUpperInvariant();
                results[i] = Logged(ticker, source.Kind, source.Path!, time, logger, () => CsvFileSource.Read(ticker, source.Path!, projectDirectory, t));
                return ValueTask.CompletedTask;
            }));
        Task fetching = CancelOthersOnFailure(async token =>
        {
            foreach (int i in apis)
            {
                SourceSettings source = sources[i];
                long sourceStarted = time.GetTimestamp();
                SourcesLog.SourceStarted(logger, source.Ticker.ToUpperInvariant(), source.Kind, api!.LocationOf(source), null);
                RawSeries series = await api.FetchAsync(source, token).ConfigureAwait(false);
                LogFinished(series, sourceStarted, time, logger);
                results[i] = series;
            }
        });
        await Task.WhenAll(reading, fetching).ConfigureAwait(false);

        SourcesLog.Finished(logger, results.Length, results.Sum(r => r.Lines.Length), results.Sum(r => r.Source.Bytes), time.GetElapsedTime(started).TotalMilliseconds, null);
        return new RawPrices(results);
    }

    private static string ApiKey(AlphaVantageSettings settings, ISecretSource secrets)
    {
        // A key Sluice bound is masked in everything Sluice writes; one found by name only in the forecaster's own messages.
        if (settings.ApiKey?.Reveal() is { Length: > 0 } bound)
        {
            return bound;
        }

        string name = settings.ApiKeySecret;
        string? key = secrets.Get(name);
        return !string.IsNullOrEmpty(key) ? key : throw new DataValidationException(
            $"The Alpha Vantage sources need the API key named by secret {name}, which is not set: looked in {secrets.DescribeLookup(name)}. " +
            $"Set SLUICE_Ingest__AlphaVantage__ApiKey (or Ingest:AlphaVantage:ApiKey in {ProjectSecretSource.FileName}, git-ignored), the environment variable {name}, or the entry \"{name}\" of {ProjectSecretSource.FileName}.");
    }

    private static RawSeries Logged(string ticker, string kind, string location, TimeProvider time, ILogger logger, Func<RawSeries> read)
    {
        long started = time.GetTimestamp();
        SourcesLog.SourceStarted(logger, ticker, kind, location, null);
        RawSeries series = read();
        LogFinished(series, started, time, logger);
        return series;
    }

    private static void LogFinished(RawSeries series, long started, TimeProvider time, ILogger logger)
    {
        if (series.Lines.Length == 0)
        {
            SourcesLog.NoRows(logger, series.Ticker, series.Source.Location, null);
        }

        SourcesLog.SourceFinished(logger, series.Ticker, series.Lines.Length, series.Source.Bytes, series.Source.ContentHash, time.GetElapsedTime(started).TotalMilliseconds, null);
    }

    private static void ThrowIfInvalid(IngestSettings settings)
    {
        // Normally done when the run binds its configuration; repeated so that direct callers get the same checks.
        var problems = new List<string>();
        void Check(object value, string path)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
            problems.AddRange(results.Select(r => $"{string.Join(", ", r.MemberNames.Select(m => $"{path}:{m}"))}: {r.ErrorMessage}"));
        }

        Check(settings, "Ingest");
        if (settings.AlphaVantage is { } alphaVantage)
        {
            Check(alphaVantage, "Ingest:AlphaVantage");
        }

        if (problems.Count > 0)
        {
            throw new DataValidationException(
                $"{problems.Count} problem(s) in the Ingest settings:{string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"))}");
        }
    }
}
