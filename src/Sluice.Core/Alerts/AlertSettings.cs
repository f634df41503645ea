namespace Sluice.Alerts;

/// <summary>Sluice's alert settings, bound from the configuration section <c>Sluice:Alerts</c>.</summary>
public sealed class AlertSettings
{
}
