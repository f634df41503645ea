using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Reporting;

/// <summary>The detail section of one ticker, with the data its chart is drawn from.</summary>
/// <param name="Ticker">The ticker symbol, cleaned for printing.</param>
/// <param name="Anchor">The HTML id of the section.</param>
/// <param name="Blocks">The section's blocks, in order.</param>
/// <param name="Series">The clean prices, or null when the ticker only has a model.</param>
/// <param name="Model">The fitted model, or null when the ticker has none.</param>
internal sealed record TickerDetail(string Ticker, string Anchor, IReadOnlyList<ReportBlock> Blocks, PriceSeries? Series, TickerModel? Model);
