using Microsoft.Extensions.Logging;

namespace StockForecaster.Sources;

/// <summary>The ingest step's log events, with fixed ids (1100-1199) and stable placeholder names.</summary>
internal static class SourcesLog
{
    public static readonly Action<ILogger, string, string, string, Exception?> SourceStarted =
        LoggerMessage.Define<string, string, string>(
            LogLevel.Information, new EventId(1101, nameof(SourceStarted)), "Ingesting {Ticker} from {Kind} {Location}");

    public static readonly Action<ILogger, string, int, long, string, double, Exception?> SourceFinished =
        LoggerMessage.Define<string, int, long, string, double>(
            LogLevel.Information, new EventId(1102, nameof(SourceFinished)), "Ingested {Ticker}: {Rows} rows, {Bytes} bytes, sha256 {Hash} in {ElapsedMs:0} ms");

    public static readonly Action<ILogger, string, int, int, string, TimeSpan, Exception?> Retrying =
        LoggerMessage.Define<string, int, int, string, TimeSpan>(
            LogLevel.Warning, new EventId(1103, nameof(Retrying)), "Fetching {Ticker} failed on attempt {Attempt} of {MaxAttempts}: {Reason}; retrying in {Delay}");

    public static readonly Action<ILogger, int, int, long, double, Exception?> Finished =
        LoggerMessage.Define<int, int, long, double>(
            LogLevel.Information, new EventId(1104, nameof(Finished)), "Ingested {Sources} sources: {Rows} rows, {Bytes} bytes in {ElapsedMs:0} ms");

    public static readonly Action<ILogger, string, string, Exception?> NoRows =
        LoggerMessage.Define<string, string>(
            LogLevel.Warning, new EventId(1105, nameof(NoRows)), "{Ticker} has a header but no data lines ({Location})");
}
