using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>The part of a command step's fingerprint that says what it runs: a pseudo parameters section, so changes are explained like parameters.</summary>
/// <remarks>Input files are not here: their bytes enter as <c>file:</c> inputs. A secret variable enters by name only.</remarks>
internal static class CommandFingerprint
{
    /// <summary>The section name; parentheses keep it apart from configuration sections, which are plain keys.</summary>
    public const string Section = "(command)";

    /// <summary>The value of the key's <c>Stored</c> member for a step whose artifact is its one output file.</summary>
    public const string StoredAsFile = "output file";

    // By spec instance: a spec never changes, and a copy made with 'with' is another instance, computed again.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CommandSpec, string> Computed = [];

    /// <summary>Returns the canonical JSON of what <paramref name="command"/> runs, computed once per spec (every plan and every attempt asks again).</summary>
    public static string Json(CommandSpec command) => Computed.GetValue(command, Compute);

    private static string Compute(CommandSpec command)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (CommandVariable variable in command.Environment)
        {
            environment[variable.Name] = variable.IsSecret ? "(secret)" : variable.Value;
        }

        // A step with one output keeps that file itself as its artifact, not a manifest naming it (docs/file-formats.md):
        // the marker keeps its checkpoints apart from those of the manifest format, whose artifact reads differently.
        var value = new Parts(command.Program, command.Arguments, command.WorkingDirectory ?? ".", environment, command.Outputs, command.TransientExitCodes,
            command.Outputs.Count == 1 ? StoredAsFile : null);
        return Fingerprint.CanonicalJson(value, typeof(Parts));
    }

    private sealed record Parts(
        string Program,
        IReadOnlyList<string> Arguments,
        string WorkingDirectory,
        SortedDictionary<string, string> Environment,
        IReadOnlyList<string> Outputs,
        IReadOnlyList<int> TransientExitCodes,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Stored);
}
