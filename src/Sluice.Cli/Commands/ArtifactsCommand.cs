using System.CommandLine;
using System.Text;
using Sluice.Artifacts;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.FileSystem;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>artifacts</c>: the versions each step produced, with their lineage; <c>artifacts show</c> and <c>artifacts trace</c> look at one.</summary>
internal static class ArtifactsCommand
{
    /// <summary>The fewest hex digits a hash prefix may have, so a prefix stays unique as the store grows.</summary>
    public const int MinimumPrefix = 8;

    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var step = new Argument<string?>("STEP") { Description = "List only this step's versions.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("artifacts", "List the artifact versions steps produced, newest first, with the run, fingerprint and inputs of each.");
        command.Arguments.Add(step);
        command.Options.Add(json);
        command.Subcommands.Add(CreateShow(context, projectDir));
        command.Subcommands.Add(CreateTrace(context, projectDir));
        command.SetAction(async (result, cancellationToken) =>
        {
            string? name = result.GetValue(step);
            if (name is not null)
            {
                PlanCommand.CheckStepNames(context, [name], "artifacts");
            }

            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            IReadOnlyList<CheckpointRecord> checkpoints = store is null
                ? []
                : await store.ListCheckpointsAsync(context.Pipeline.Name, name, cancellationToken).ConfigureAwait(false);
            context.Out.Write(result.GetValue(json) ? Json(checkpoints) : Text(checkpoints, context.Zone));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow(CommandContext context, Option<string?> projectDir)
    {
        var hash = new Argument<string>("HASH") { Description = "The artifact: 'xxh128:<hex>', the hex alone, or a unique prefix of 8 or more hex digits." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the artifact's bytes to this file (atomically) instead of standard output." };
        var info = new Option<bool>("--info") { Description = "Print what produced the artifact, recursively up to its roots, instead of its bytes." };
        var command = new Command("show", "Print or export one stored artifact, or (with --info) its lineage.");
        command.Arguments.Add(hash);
        command.Options.Add(output);
        command.Options.Add(info);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            var artifacts = new FileSystemArtifactStore(paths.Root, timeProvider: context.Env.Time);
            Lineage lineage = store is null ? new Lineage([]) : await Lineage.LoadAsync(store, context.Pipeline.Name, cancellationToken).ConfigureAwait(false);
            ContentHash found = await ResolveAsync(result.GetValue(hash)!, lineage, artifacts, cancellationToken).ConfigureAwait(false);

            string? file = result.GetValue(output);
            if (file is not null)
            {
                string target = Path.GetFullPath(Path.Combine(context.Env.WorkingDirectory, file));
                long length = await ExportAsync(artifacts, found, target, cancellationToken).ConfigureAwait(false);
                context.Out.Write($"wrote {found} ({length} bytes) to {file}\n");
            }

            if (result.GetValue(info))
            {
                context.Out.Write(Info(found, lineage, context.Zone));
            }
            else if (file is null)
            {
                await CopyToStandardOutputAsync(context, artifacts, found, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTrace(CommandContext context, Option<string?> projectDir)
    {
        var path = new Argument<string>("PATH") { Description = "A published file, relative to the project folder." };
        var command = new Command("trace", "Trace a published file back to the checkpoint that produced it and that checkpoint's inputs; says if the file was modified since.");
        command.Arguments.Add(path);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            string given = result.GetValue(path)!;
            string full = Path.GetFullPath(Path.Combine(paths.Root, given));
            string relative = Path.GetRelativePath(paths.Root, full).Replace('\\', '/');
            if (!File.Exists(full))
            {
                throw new UsageException($"No file '{given}' (looked for {full}). Give a published file's path relative to the project folder.");
            }

            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            var artifacts = new FileSystemArtifactStore(paths.Root, timeProvider: context.Env.Time);
            Lineage lineage = store is null ? new Lineage([]) : await Lineage.LoadAsync(store, context.Pipeline.Name, cancellationToken).ConfigureAwait(false);
            ArtifactRef held;
            await using (FileStream stream = File.OpenRead(full))
            {
                held = await ContentHasher.HashAsync(artifacts.HashAlgorithm, stream, cancellationToken).ConfigureAwait(false);
            }

            string[] publishers = [.. context.Pipeline.Steps.Where(s => s.PublishPath is { } p && SamePath(p, relative)).Select(s => s.Name)];
            IReadOnlyList<CheckpointRecord> producers = lineage.ProducersOf(held.Hash.ToString());
            CheckpointRecord? producer = producers.FirstOrDefault(c => publishers.Contains(c.Step)) ?? (producers.Count > 0 ? producers[0] : null);
            if (producer is not null)
            {
                context.Out.Write($"{relative} holds {held}, produced by step {producer.Step} in run {producer.RunId}.\n\n");
                context.Out.Write(lineage.RenderTree(producer, context.Zone));
                return ExitCodes.Success;
            }

            CheckpointRecord? published = lineage.Checkpoints.FirstOrDefault(c => publishers.Contains(c.Step));
            if (published is null)
            {
                throw new UsageException(publishers.Length == 0
                    ? $"No step publishes '{relative}' and no checkpoint produced its content ({held}): it was not made by this pipeline."
                    : $"Step {publishers[0]} publishes '{relative}', but no checkpoint of it is recorded (run the pipeline, or it was collected by gc).");
            }

            context.Out.Write($"{relative} was modified since it was published: it holds {held}, but step {published.Step} last published {published.ArtifactHash} ({published.ArtifactSize} bytes) in run {published.RunId}.\n");
            context.Out.Write("The published version was produced by:\n\n");
            context.Out.Write(lineage.RenderTree(published, context.Zone));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Resolves a hash the user typed against the recorded checkpoints and the stored objects; unknown or ambiguous text is a <see cref="UsageException"/>.</summary>
    internal static async Task<ContentHash> ResolveAsync(string text, Lineage lineage, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        string typed = text.Trim().ToLowerInvariant();
        int colon = typed.IndexOf(':', StringComparison.Ordinal);
        string algorithm = colon >= 0 ? typed[..colon] : "";
        string hex = colon >= 0 ? typed[(colon + 1)..] : typed;
        if (hex.Length < MinimumPrefix || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new UsageException($"'{text}' is not an artifact hash: give 'xxh128:<hex>', the hex alone, or a prefix of at least {MinimumPrefix} hex digits as 'artifacts' lists it.");
        }

        var known = new HashSet<ContentHash>();
        foreach (CheckpointRecord checkpoint in lineage.Checkpoints)
        {
            if (ContentHash.TryParse(checkpoint.ArtifactHash, out ContentHash recorded))
            {
                known.Add(recorded);
            }
        }

        await foreach (ArtifactRef stored in artifacts.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            known.Add(stored.Hash);
        }

        List<ContentHash> matches = [.. known
            .Where(h => h.Hex.StartsWith(hex, StringComparison.Ordinal) && (algorithm.Length == 0 || h.Algorithm == algorithm))
            .OrderBy(h => h.ToString(), StringComparer.Ordinal)];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UsageException($"No artifact matches '{text}': it is neither recorded by a checkpoint nor stored. List versions with 'artifacts'."),
            _ => throw new UsageException($"'{text}' is ambiguous: it matches {matches.Count} artifacts ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", ..." : "")}). Give more digits."),
        };
    }

    private static async Task<long> ExportAsync(IArtifactStore artifacts, ContentHash hash, string target, CancellationToken cancellationToken)
    {
        await using Stream source = await artifacts.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false) ?? throw NotStored(hash);
        string directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);

        // Temp file beside the target, fsynced, then renamed over it: a reader sees the old file or the whole new one.
        string temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{FileSystemArtifactStore.TempSuffix}");
        try
        {
            long length;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
                length = output.Length;
            }

            File.Move(temp, target, overwrite: true);
            return length;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task CopyToStandardOutputAsync(CommandContext context, IArtifactStore artifacts, ContentHash hash, CancellationToken cancellationToken)
    {
        await using Stream source = await artifacts.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false) ?? throw NotStored(hash);
        if (context.Env.OpenStandardOutput is { } open)
        {
            // Bytes, not text: an artifact need not be UTF-8. Text already written goes first.
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await using Stream stdout = open();
            await source.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(source, Encoding.UTF8);
        context.Out.Write(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
    }

    private static UsageException NotStored(ContentHash hash) =>
        new($"Artifact {hash} is recorded by a checkpoint but its object is no longer stored (deleted by gc or by hand); re-run the step to produce it again.");

    private static string Info(ContentHash hash, Lineage lineage, TimeZoneInfo zone)
    {
        IReadOnlyList<CheckpointRecord> producers = lineage.ProducersOf(hash.ToString());
        if (producers.Count == 0)
        {
            return $"artifact {hash}: no checkpoint records it (its checkpoint was deleted, or nothing references it; gc will delete it).\n";
        }

        var text = new StringBuilder($"artifact {hash}, produced by {producers.Count} checkpoint{(producers.Count == 1 ? "" : "s")}:\n");
        foreach (CheckpointRecord producer in producers)
        {
            text.Append('\n').Append(lineage.RenderTree(producer, zone));
        }

        return text.ToString();
    }

    private static bool SamePath(string published, string relative) =>
        string.Equals(Path.GetFullPath(published, "/p").Replace('\\', '/'), Path.GetFullPath(relative, "/p").Replace('\\', '/'), StringComparison.Ordinal);

    private static string Text(IReadOnlyList<CheckpointRecord> checkpoints, TimeZoneInfo zone)
    {
        if (checkpoints.Count == 0)
        {
            return "No artifacts yet. Run the pipeline with 'run'.\n";
        }

        var table = new TextTable("step", "artifact", "size", "run", "fingerprint", "time", "inputs");
        foreach (CheckpointRecord c in checkpoints)
        {
            table.Add(
                c.Step,
                Lineage.Short(c.ArtifactHash),
                $"{c.ArtifactSize} B",
                c.RunId.Value,
                Lineage.Short(c.Fingerprint),
                Formats.Time(c.CreatedAt, zone),
                string.Join(", ", Lineage.Inputs(c).Select(i => $"{i.Key} {Lineage.Short(i.Value)}")) is { Length: > 0 } inputs ? inputs : "-");
        }

        return table.Render();
    }

    private static string Json(IReadOnlyList<CheckpointRecord> checkpoints) => JsonRecords.Render(json =>
    {
        json.WriteStartArray();
        foreach (CheckpointRecord c in checkpoints)
        {
            json.WriteStartObject();
            json.WriteString("step", c.Step);
            json.WriteString("artifact", c.ArtifactHash);
            json.WriteNumber("size", c.ArtifactSize);
            json.WriteString("run", c.RunId.Value);
            json.WriteString("fingerprint", c.Fingerprint);
            json.WriteString("created_at", c.CreatedAt.UtcDateTime);
            Planning.Fingerprint? key = Lineage.TryParseKey(c);
            json.WriteString("version", key?.Version);
            json.WriteStartObject("parameters");
            foreach ((string section, string canonical) in key?.Parameters ?? [])
            {
                json.WritePropertyName(section);
                json.WriteRawValue(canonical);
            }

            json.WriteEndObject();
            json.WriteStartArray("inputs");
            foreach ((string step, string hash) in key?.Inputs ?? [])
            {
                json.WriteStartObject();
                json.WriteString("step", step);
                json.WriteString("artifact", hash);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });
}
