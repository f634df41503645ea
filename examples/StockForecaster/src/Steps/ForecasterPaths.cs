namespace StockForecaster.Steps;

/// <summary>Where the forecaster publishes its outputs and keeps its contract, relative to the project: the brief's file names.</summary>
public static class ForecasterPaths
{
    /// <summary>Gets the raw records and their source metadata.</summary>
    public const string RawPrices = "data/prices_raw.json";

    /// <summary>Gets the validated prices and the validation findings.</summary>
    public const string CleanPrices = "data/prices_clean.json";

    /// <summary>Gets the fitted models, metrics, settings and data hash; the last known good model.</summary>
    public const string Model = "data/model.json";

    /// <summary>Gets the report for a person.</summary>
    public const string Report = "reports/report.txt";

    /// <summary>Gets the same report as a self-contained web page with charts.</summary>
    public const string HtmlReport = "reports/report.html";

    /// <summary>Gets the data contract the prices are validated against.</summary>
    public const string Contract = "config/contract.json";
}
