using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Reporting;

/// <summary>What the text and HTML reports show; bound from the "Report" section of config/appsettings.json.</summary>
public sealed class ReportSettings
{
    /// <summary>Gets or sets how many of the last trading days each chart shows before the forecast.</summary>
    /// <value>The default value is 250 (about one trading year).</value>
    [Range(2, 100_000)]
    public int RecentDays { get; set; } = 250;

    /// <summary>Gets or sets how many tickers, from the first detailed one on, get a chart in the HTML report.</summary>
    /// <value>The default value is 5; 0 draws no chart. Charts never go beyond <see cref="DetailTickers"/>.</value>
    [Range(0, 100_000)]
    public int ChartTickers { get; set; } = 5;

    /// <summary>Gets or sets how many tickers, in input order, get a detail section after the summary table; null details every ticker.</summary>
    /// <value>The default value is null (every ticker). The summary table always lists every ticker.</value>
    [Range(0, 1_000_000)]
    public int? DetailTickers { get; set; }

    /// <summary>Gets or sets how many messages are listed for each group of findings with the same severity and code.</summary>
    /// <value>The default value is 10; the rest are counted, and all of them remain in <c>data/prices_clean.json</c>.</value>
    [Range(0, 1_000_000)]
    public int MessagesPerFindingGroup { get; set; } = 10;
}
