namespace Sluice.Telemetry;

/// <summary>Sluice's logging and metrics settings, bound from the configuration section <c>Sluice:Telemetry</c>.</summary>
public sealed class TelemetrySettings
{
}
