namespace Sluice.Definitions;

/// <summary>How a file set's paths come from a bound parameters section: resolved once at start-up, after binding.</summary>
/// <param name="Name">The file set's name, unique in the pipeline.</param>
/// <param name="Section">The parameters section the paths are chosen from.</param>
/// <param name="Select">Chooses the project-relative paths from the bound section's value.</param>
internal sealed record FileSetDefinition(string Name, string Section, Func<object, IEnumerable<string>> Select)
{
    /// <summary>Gets the key under which the resolved paths are kept among the bound parameters.</summary>
    public string ParameterKey => "files:" + Name;
}
