using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Alerts;

/// <summary>Where alerts go and which ones are raised; bound from the "Alerts" section of config/appsettings.json.</summary>
public sealed class AlertSettings
{
    /// <summary>Gets or sets the alert file, one JSON object per line, relative to the project.</summary>
    /// <value>The default value is <c>logs/alerts.jsonl</c>.</value>
    [Required]
    [RegularExpression(@"^(?![/\\])(?!(.*[/\\])?\.\.([/\\]|$)).+\.jsonl$", ErrorMessage = "Alerts:Log must be a project-relative path ending in .jsonl, such as 'logs/alerts.jsonl'.")]
    public string Log { get; set; } = AlertLog.DefaultPath;

    /// <summary>Gets or sets whether validation warnings (outliers, stale prices, filled days) raise a data-quality alert while the run goes on.</summary>
    /// <value>The default value is false: only failures (a broken contract, a diverged model) raise alerts.</value>
    public bool OnDataQualityWarnings { get; set; }
}
