using System.Diagnostics.CodeAnalysis;

namespace Sluice.Definitions;

/// <summary>A configuration section bound to a typed parameters object at start-up.</summary>
/// <param name="Section">The configuration section, such as <c>Forecast</c>.</param>
/// <param name="Type">The type the section binds to.</param>
public sealed record ParameterDefinition(string Section, [param: DynamicallyAccessedMembers(ParameterDefinition.Members)][property: DynamicallyAccessedMembers(ParameterDefinition.Members)] Type Type)
{
    /// <summary>What binding needs of a parameters type, kept by trimming: its parameterless constructor and public properties.</summary>
    internal const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;
}
