using System.ComponentModel.DataAnnotations;
using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Reporting;

/// <summary>Writes the forecaster's reports, <c>reports/report.txt</c> and <c>reports/report.html</c>: pure functions of their inputs, so equal inputs give byte-equal reports.</summary>
public static class ReportWriter
{
    /// <summary>Renders the text report, taking each ticker's source from the clean prices.</summary>
    public static string Text(CleanPrices clean, ModelReport model, ReportSettings settings) => Text(clean, model, null, settings);

    /// <summary>Renders the HTML report, taking each ticker's source from the clean prices.</summary>
    public static string Html(CleanPrices clean, ModelReport model, ReportSettings settings) => Html(clean, model, null, settings);

    /// <summary>Renders the plain-text report: run overview, a summary table of every ticker, then details for the first <see cref="ReportSettings.DetailTickers"/> tickers.</summary>
    /// <param name="clean">The clean prices with their validation findings and the missing-day policy applied.</param>
    /// <param name="model">The fitted models, backtest metrics and forecasts.</param>
    /// <param name="raw">The ingested series, read only for where each came from; null prints the sources as unknown.</param>
    /// <param name="settings">What to show.</param>
    public static string Text(CleanPrices clean, ModelReport model, RawPrices? raw, ReportSettings settings) =>
        TextRenderer.Render(Build(clean, model, raw, settings));

    /// <summary>Renders the self-contained HTML report: the same content as the text report as HTML tables, plus an inline SVG chart of recent prices and the forecast band for the first <see cref="ReportSettings.ChartTickers"/> detailed tickers.</summary>
    /// <param name="clean">The clean prices with their validation findings and the missing-day policy applied.</param>
    /// <param name="model">The fitted models, backtest metrics and forecasts.</param>
    /// <param name="raw">The ingested series, read only for where each came from; null prints the sources as unknown.</param>
    /// <param name="settings">What to show.</param>
    public static string Html(CleanPrices clean, ModelReport model, RawPrices? raw, ReportSettings settings) =>
        HtmlRenderer.Render(Build(clean, model, raw, settings), settings, model.Settings);

    private static ReportContent Build(CleanPrices clean, ModelReport model, RawPrices? raw, ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);

        // The pipeline validates settings when it binds them; checking again here keeps a caller
        // that builds them by hand from getting a silently odd report.
        Validator.ValidateObject(settings, new ValidationContext(settings), validateAllProperties: true);
        return ReportBuilder.Build(clean, model, raw, settings);
    }
}
