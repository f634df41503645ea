using System.Text;
using Sluice.Artifacts;
using Sluice.Cli.Output;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary>A project's checkpoints, indexed to answer "what produced this artifact, from what": the lineage behind <c>artifacts</c> and <c>gc</c>.</summary>
internal sealed class Lineage
{
    private readonly Dictionary<string, List<CheckpointRecord>> _byHash;

    public Lineage(IReadOnlyList<CheckpointRecord> checkpoints)
    {
        // Newest first everywhere, so the first match is the most recent production.
        Checkpoints = [.. checkpoints.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.RunId)];
        _byHash = Checkpoints.GroupBy(c => c.ArtifactHash, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Gets every checkpoint, newest first.</summary>
    public IReadOnlyList<CheckpointRecord> Checkpoints { get; }

    /// <summary>Loads the checkpoints of every pipeline that has run in this project (artifact objects are shared by all of them).</summary>
    public static async Task<Lineage> LoadAsync(Sluice.Sqlite.SqliteRunStore store, string pipeline, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRecord> runs = await store.ListRunsAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
        var all = new List<CheckpointRecord>();
        foreach (string name in runs.Select(r => r.Pipeline).Append(pipeline).Distinct(StringComparer.Ordinal))
        {
            all.AddRange(await store.ListCheckpointsAsync(name, null, cancellationToken).ConfigureAwait(false));
        }

        return new Lineage(all);
    }

    /// <summary>Returns the checkpoints that produced an artifact, newest first.</summary>
    public IReadOnlyList<CheckpointRecord> ProducersOf(string hash) => _byHash.GetValueOrDefault(hash) ?? [];

    /// <summary>Finds the checkpoint that produced a step's input: the newest of that step with that hash recorded no later than its consumer, else the newest at all.</summary>
    public CheckpointRecord? ProducerOfInput(string step, string hash, DateTimeOffset consumedAt)
    {
        List<CheckpointRecord> producers = [.. ProducersOf(hash).Where(c => c.Step == step)];
        return producers.FirstOrDefault(c => c.CreatedAt <= consumedAt) ?? producers.FirstOrDefault();
    }

    /// <summary>Returns a checkpoint and, transitively, the checkpoints that produced its inputs (those still recorded).</summary>
    public IEnumerable<CheckpointRecord> Ancestry(CheckpointRecord checkpoint)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<CheckpointRecord>([checkpoint]);
        while (pending.TryPop(out CheckpointRecord? current))
        {
            if (!seen.Add(current.Fingerprint))
            {
                continue;
            }

            yield return current;
            foreach ((string step, string hash) in Inputs(current))
            {
                if (ProducerOfInput(step, hash, current.CreatedAt) is { } producer)
                {
                    pending.Push(producer);
                }
            }
        }
    }

    /// <summary>Returns a checkpoint's step inputs with their content hashes, as its fingerprint key lists them; empty for a key this code cannot read.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Inputs(CheckpointRecord checkpoint) =>
        TryParseKey(checkpoint)?.Inputs ?? [];

    /// <summary>Returns whether a checkpoint's artifact is a command step's outputs manifest (a step with several outputs, or one recorded before one output was stored as itself).</summary>
    public static bool HasManifest(CheckpointRecord checkpoint)
    {
        foreach ((string section, string json) in TryParseKey(checkpoint)?.Parameters ?? [])
        {
            if (section == Sluice.Planning.CommandFingerprint.Section)
            {
                return System.Text.Json.Nodes.JsonNode.Parse(json)?["Stored"] is null;
            }
        }

        return false;
    }

    /// <summary>Reads the outputs manifest a checkpoint's artifact holds; null when the object is gone or is not one.</summary>
    public static async Task<Sluice.Definitions.CommandOutputs?> ReadManifestAsync(IArtifactStore artifacts, CheckpointRecord checkpoint, CancellationToken cancellationToken)
    {
        if (!ContentHash.TryParse(checkpoint.ArtifactHash, out ContentHash hash))
        {
            return null;
        }

        await using Stream? stream = await artifacts.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync(stream, SluiceJsonContext.Default.CommandOutputs, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Parses a checkpoint's fingerprint key, or returns null when it is of a format this code does not know.</summary>
    public static Fingerprint? TryParseKey(CheckpointRecord checkpoint)
    {
        try
        {
            return Fingerprint.FromKey(checkpoint.FingerprintKey);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Returns the first eight hex digits of a stored hash text, for tables.</summary>
    public static string Short(string hash) =>
        ContentHash.TryParse(hash, out ContentHash parsed) ? parsed.ShortHex : hash[..Math.Min(8, hash.Length)];

    /// <summary>Renders the lineage tree of a checkpoint: each production with its version and parameters, then its inputs' productions below it.</summary>
    public string RenderTree(CheckpointRecord root, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        Render(root, "", "", zone, text, new HashSet<string>(StringComparer.Ordinal));
        return text.ToString();
    }

    private void Render(CheckpointRecord checkpoint, string firstIndent, string indent, TimeZoneInfo zone, StringBuilder text, HashSet<string> path)
    {
        text.Append(firstIndent).Append(checkpoint.Step).Append("  ").Append(checkpoint.ArtifactHash)
            .Append($"  ({checkpoint.ArtifactSize} bytes)  run {checkpoint.RunId}  fingerprint {Short(checkpoint.Fingerprint)}  {Formats.Time(checkpoint.CreatedAt, zone)}\n");
        Fingerprint? key = TryParseKey(checkpoint);
        if (key is null)
        {
            text.Append(indent).Append("  (fingerprint key of an unknown format)\n");
            return;
        }

        text.Append(indent).Append("  version ").Append(key.Version).Append('\n');
        foreach ((string section, string json) in key.Parameters)
        {
            text.Append(indent).Append("  parameters ").Append(section).Append(' ').Append(json).Append('\n');
        }

        // A diamond is drawn under each consumer; only a cycle (impossible for a valid key) is cut.
        path.Add(checkpoint.Fingerprint);
        for (int i = 0; i < key.Inputs.Count; i++)
        {
            (string step, string hash) = key.Inputs[i];
            bool last = i == key.Inputs.Count - 1;
            string branch = indent + (last ? "  └─ " : "  ├─ ");
            string below = indent + (last ? "     " : "  │  ");
            if (step.StartsWith("file:", StringComparison.Ordinal))
            {
                text.Append(branch).Append("file ").Append(step["file:".Length..]).Append("  ").Append(hash).Append('\n');
                continue;
            }

            CheckpointRecord? producer = ProducerOfInput(step, hash, checkpoint.CreatedAt);
            if (producer is null || path.Contains(producer.Fingerprint))
            {
                text.Append(branch).Append(step).Append("  ").Append(hash).Append("  (no checkpoint records it: deleted by gc, or produced elsewhere)\n");
            }
            else
            {
                Render(producer, branch, below, zone, text, path);
            }
        }

        path.Remove(checkpoint.Fingerprint);
    }
}
