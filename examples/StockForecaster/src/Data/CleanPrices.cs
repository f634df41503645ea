namespace StockForecaster.Data;

/// <summary>One ticker's validated daily prices, column-wise and sorted by date with no duplicates.</summary>
public sealed class PriceSeries
{
    /// <summary>Gets the ticker symbol.</summary>
    public required string Ticker { get; init; }

    /// <summary>Gets the trading dates, ascending.</summary>
    public required DateOnly[] Dates { get; init; }

    /// <summary>Gets the opening prices.</summary>
    public required double[] Open { get; init; }

    /// <summary>Gets the daily highs.</summary>
    public required double[] High { get; init; }

    /// <summary>Gets the daily lows.</summary>
    public required double[] Low { get; init; }

    /// <summary>Gets the closing prices.</summary>
    public required double[] Close { get; init; }

    /// <summary>Gets the adjusted closing prices (equal to <see cref="Close"/> when the source has none).</summary>
    public required double[] AdjClose { get; init; }

    /// <summary>Gets the volumes.</summary>
    public required long[] Volume { get; init; }

    /// <summary>Gets where the series came from (carried from the raw prices so later steps need not read them).</summary>
    public SourceInfo? Source { get; init; }

    /// <summary>Gets the dates that were filled forward from the previous trading day (empty unless the missing-day policy is fill-forward).</summary>
    public DateOnly[] FilledDates { get; init; } = [];
}

/// <summary>How serious a validation finding is.</summary>
public enum Severity
{
    /// <summary>Worth knowing; nothing is wrong.</summary>
    Info,

    /// <summary>Suspicious data that the configured policy lets through.</summary>
    Warning,

    /// <summary>Data the contract forbids; the step fails.</summary>
    Error,
}

/// <summary>One thing validation noticed, with a stable code a test or an alert rule can match.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">A stable identifier such as <c>missing-days</c>, <c>schema-drift</c>, <c>ohlc</c>, <c>outlier</c>, <c>stale</c>, <c>duplicate-date</c>, <c>unsorted</c>, <c>parse</c>.</param>
/// <param name="Ticker">The ticker it concerns.</param>
/// <param name="Message">A sentence for a person, naming file, line, column or dates where it can.</param>
public sealed record Finding(Severity Severity, string Code, string Ticker, string Message);

/// <summary>The clean/validate step's output, published as <c>data/prices_clean.json</c>.</summary>
/// <param name="Series">One entry per ticker, in the order of the raw prices.</param>
/// <param name="Findings">Every warning and info finding (errors fail the step instead of being stored).</param>
/// <param name="MissingDayPolicy">The policy that was applied to missing trading days: <c>fail</c>, <c>warn</c> or <c>fill-forward</c>.</param>
public sealed record CleanPrices(PriceSeries[] Series, Finding[] Findings, string MissingDayPolicy);
