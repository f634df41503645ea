namespace Sluice.Definitions;

/// <summary>A configuration value carried by a pipeline's definition: the lowest configuration layer.</summary>
/// <param name="Key">The configuration key, sections joined with ':' (<c>Sluice:Alerts:Schedule:Cron</c>).</param>
/// <param name="Value">The value, as configuration text.</param>
/// <param name="Source">Where it was declared, for messages and <c>config</c> (<c>sluice.yaml:12:5</c>), or null.</param>
public sealed record PipelineSetting(string Key, string Value, string? Source);
