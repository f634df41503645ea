namespace Sluice.Telemetry;

/// <summary>Sluice's metrics and traces export settings, bound from the configuration section <c>Sluice:Telemetry</c>.</summary>
/// <remarks>Nothing is exported, and no port is opened, unless one of the exporters is configured.</remarks>
public sealed class TelemetrySettings
{
    /// <summary>Gets or sets the Prometheus scrape endpoint served while a command runs.</summary>
    public PrometheusSettings Prometheus { get; set; } = new();

    /// <summary>Gets or sets where metrics and traces are pushed over OTLP.</summary>
    public OtlpSettings Otlp { get; set; } = new();
}
