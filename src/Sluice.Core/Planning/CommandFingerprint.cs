using System.Globalization;
using System.Text;
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

    // Written member by member, in the order and escaping CanonicalJson gives the same record (ReflectedJson, kept as the
    // definition and compared in tests): walking it by reflection took ~0.2 ms per step under Native AOT, on the path
    // between one command and the next.
    private static string Compute(CommandSpec command)
    {
        SortedDictionary<string, string> environment = Environment(command);
        var text = new StringBuilder(256);
        text.Append("{\"Arguments\":");
        AppendList(text, command.Arguments);
        text.Append(",\"Environment\":{");
        bool first = true;
        foreach ((string name, string value) in environment)
        {
            text.Append(first ? "" : ",").Append(Configuration.CanonicalJson.Quote(name)).Append(':').Append(Configuration.CanonicalJson.Quote(value));
            first = false;
        }

        text.Append("},\"Outputs\":");
        AppendList(text, command.Outputs);
        text.Append(",\"Program\":").Append(Configuration.CanonicalJson.Quote(command.Program));
        if (Stored(command) is { } stored)
        {
            text.Append(",\"Stored\":").Append(Configuration.CanonicalJson.Quote(stored));
        }

        text.Append(",\"TransientExitCodes\":[");
        for (int i = 0; i < command.TransientExitCodes.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(command.TransientExitCodes[i].ToString(CultureInfo.InvariantCulture));
        }

        text.Append("],\"WorkingDirectory\":").Append(Configuration.CanonicalJson.Quote(command.WorkingDirectory ?? ".")).Append('}');
        return text.ToString();
    }

    /// <summary>Returns the canonical JSON of the command as the general reflection-based writer gives it: the definition <see cref="Json"/> must match byte for byte.</summary>
    internal static string ReflectedJson(CommandSpec command) =>
        Fingerprint.CanonicalJson(
            new Parts(command.Program, command.Arguments, command.WorkingDirectory ?? ".", Environment(command), command.Outputs, command.TransientExitCodes, Stored(command)),
            typeof(Parts));

    private static SortedDictionary<string, string> Environment(CommandSpec command)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (CommandVariable variable in command.Environment)
        {
            environment[variable.Name] = variable.IsSecret ? "(secret)" : variable.Value;
        }

        return environment;
    }

    // A step with one output keeps that file itself as its artifact, not a manifest naming it (docs/file-formats.md):
    // the marker keeps its checkpoints apart from those of the manifest format, whose artifact reads differently.
    private static string? Stored(CommandSpec command) => command.Outputs.Count == 1 ? StoredAsFile : null;

    private static void AppendList(StringBuilder text, IReadOnlyList<string> items)
    {
        text.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(Configuration.CanonicalJson.Quote(items[i]));
        }

        text.Append(']');
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
