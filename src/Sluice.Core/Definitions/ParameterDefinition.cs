namespace Sluice.Definitions;

/// <summary>A configuration section bound to a typed parameters object at start-up.</summary>
/// <param name="Section">The configuration section, such as <c>Forecast</c>.</param>
/// <param name="Type">The type the section binds to.</param>
public sealed record ParameterDefinition(string Section, Type Type);
