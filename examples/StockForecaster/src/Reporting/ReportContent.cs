namespace StockForecaster.Reporting;

/// <summary>Everything a report says, built once and drawn by both the text and the HTML renderer so they cannot disagree.</summary>
/// <param name="Title">The report's title.</param>
/// <param name="Overview">The run-wide facts printed first.</param>
/// <param name="Summary">One row per ticker.</param>
/// <param name="Details">The detail sections, for the first tickers up to the configured cap.</param>
/// <param name="Trailer">Blocks after the details: findings about tickers without prices or models.</param>
internal sealed record ReportContent(string Title, ReportBlock Overview, ReportBlock Summary, IReadOnlyList<TickerDetail> Details, IReadOnlyList<ReportBlock> Trailer);
