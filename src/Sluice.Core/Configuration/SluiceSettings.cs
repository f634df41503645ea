using Sluice.Alerts;
using Sluice.Telemetry;

namespace Sluice.Configuration;

/// <summary>Sluice's own settings, the configuration section <c>Sluice</c>; every other top-level section belongs to the pipeline's parameters.</summary>
public sealed class SluiceSettings
{
    /// <summary>The configuration section these settings are bound from.</summary>
    public const string Section = "Sluice";

    /// <summary>Gets or sets where alerts go and which ones are raised.</summary>
    public AlertSettings Alerts { get; set; } = new();

    /// <summary>Gets or sets how logs, metrics and traces are exported.</summary>
    public TelemetrySettings Telemetry { get; set; } = new();

    /// <summary>Gets or sets how old artifact versions are pruned by <c>gc</c>.</summary>
    public GcSettings Gc { get; set; } = new();

    /// <summary>Gets or sets what a run's files must survive: <see cref="Configuration.Durability.PowerLoss"/> (fsync everything, the default) or only the process being killed.</summary>
    public Durability Durability { get; set; } = Durability.PowerLoss;
}
