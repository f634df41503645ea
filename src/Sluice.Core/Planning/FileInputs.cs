using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>The project files a step takes, directly or through file sets, each with the name it has in the step's fingerprint.</summary>
internal static class FileInputs
{
    /// <summary>Returns each file input of <paramref name="step"/> as its fingerprint key and project-relative path.</summary>
    public static IEnumerable<(string Key, string Path)> Of(StepDefinition step, IReadOnlyDictionary<string, object> parameters)
    {
        foreach (Artifact input in step.Inputs)
        {
            if (input.Source == ArtifactSource.File)
            {
                yield return (Fingerprint.InputKey(input), input.Name);
            }
            else if (input is { Source: ArtifactSource.FileSet, FileSet: { } set })
            {
                foreach (string path in Paths(set, parameters))
                {
                    yield return (KeyPrefix(input) + path, path);
                }
            }
        }
    }

    /// <summary>Returns the paths a file set chose at start-up.</summary>
    public static IReadOnlyList<string> Paths(FileSetDefinition set, IReadOnlyDictionary<string, object> parameters) =>
        parameters.TryGetValue(set.ParameterKey, out object? paths) ? (string[])paths : [];

    /// <summary>Returns the value a step receives for a file input: a <see cref="ProjectFile"/> or a <see cref="ProjectFiles"/>, with the hashes the fingerprint used.</summary>
    public static object Value(Artifact input, IReadOnlyDictionary<string, object> parameters, IReadOnlyDictionary<string, string?> hashes) =>
        input.FileSet is { } set
            ? new ProjectFiles([.. Paths(set, parameters).Select(p => new ProjectFile(p, hashes.GetValueOrDefault(p)))])
            : new ProjectFile(input.Name, hashes.GetValueOrDefault(input.Name));

    /// <summary>Returns the prefix shared by the fingerprint keys of a file set's files.</summary>
    public static string KeyPrefix(Artifact fileSet) => "files:" + fileSet.Name + ":";
}
