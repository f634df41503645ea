namespace StockForecaster.Alerts;

/// <summary>Which of the forecaster's findings raise alerts; bound from the "Alerts" section of config/appsettings.json.</summary>
/// <remarks>Where alerts go (a log file, a webhook, e-mail) is Sluice's own setting, <c>Sluice:Alerts:Sinks</c>.</remarks>
public sealed class AlertSettings
{
    /// <summary>Gets or sets whether validation warnings (outliers, stale prices, filled days) raise a data-quality alert while the run goes on.</summary>
    /// <value>The default value is false: only failures (a broken contract, a diverged model) raise alerts.</value>
    public bool OnDataQualityWarnings { get; set; }
}
