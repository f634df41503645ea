using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Sluice.Artifacts;
using Sluice.Cli.Hosting;
using Sluice.FileSystem;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>gc</c>: deletes checkpoints of old runs, then every stored object no remaining checkpoint references.</summary>
internal static class GcCommand
{
    /// <summary>The configuration key of the default for <c>--keep</c>.</summary>
    public const string KeepRunsKey = "Sluice:Gc:KeepRuns";

    /// <summary>How many runs are kept when neither <c>--keep</c> nor <see cref="KeepRunsKey"/> says.</summary>
    public const int DefaultKeepRuns = 10;

    public static Command Create(CommandContext context, Option<string?> projectDir)
    {
        var keep = new Option<int?>("--keep")
        {
            Description = $"Keep what the checkpoints of the newest N runs need. Default: configuration '{KeepRunsKey}', else {DefaultKeepRuns}.",
        };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be deleted and delete nothing." };
        var command = new Command("gc", "Delete old artifact versions: checkpoints not of the newest N runs (the newest of every step is always kept), then unreferenced stored objects.");
        command.Options.Add(keep);
        command.Options.Add(dryRun);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            int runs = result.GetValue(keep) ?? ConfiguredKeepRuns(context, paths);
            if (runs < 0)
            {
                throw new UsageException($"--keep is {runs}: give 0 or more runs to keep.");
            }

            bool dry = result.GetValue(dryRun);
            if (!File.Exists(paths.Database))
            {
                context.Out.Write("Nothing to collect: this project has no runs yet.\n");
                return ExitCodes.Success;
            }

            // A run writes objects before it records their checkpoints: collecting during one could delete its fresh output.
            AppEnvironment env = context.Env;
            var me = new LockHolder(env.ProcessId, env.HostName, env.Time.GetUtcNow(), "gc");
            using ProjectLock held = await RunCommand.AcquireAsync(paths, me, wait: false, context, cancellationToken).ConfigureAwait(false);
            await using Sluice.Sqlite.SqliteRunStore store = await StoreFactory.OpenAsync(paths).ConfigureAwait(false);
            var artifacts = new FileSystemArtifactStore(paths.Root, timeProvider: env.Time);
            Lineage lineage = await Lineage.LoadAsync(store, context.Pipeline.Name, cancellationToken).ConfigureAwait(false);

            HashSet<CheckpointRecord> kept = Keep(lineage, runs, out List<RunId> keptRuns);
            List<CheckpointRecord> doomed = [.. lineage.Checkpoints.Where(c => !kept.Contains(c))];
            var referenced = new HashSet<string>(kept.Select(c => c.ArtifactHash), StringComparer.Ordinal);
            foreach (CheckpointRecord c in kept)
            {
                // A command step with several outputs has a manifest as its artifact: the objects it names are kept with it.
                if (Lineage.HasManifest(c) && await Lineage.ReadManifestAsync(artifacts, c, cancellationToken).ConfigureAwait(false) is { } manifest)
                {
                    referenced.UnionWith(manifest.Files.Select(f => f.Hash));
                }
            }

            var unreferenced = new List<ArtifactRef>();
            await foreach (ArtifactRef stored in artifacts.EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!referenced.Contains(stored.Hash.ToString()))
                {
                    unreferenced.Add(stored);
                }
            }

            string verb = dry ? "would delete" : "deleted";
            context.Out.Write($"keeping the checkpoints of the newest {runs} run{(runs == 1 ? "" : "s")}{(keptRuns.Count > 0 ? $" ({string.Join(", ", keptRuns)})" : "")}, the newest of every step, and their inputs' checkpoints\n");
            foreach (CheckpointRecord c in doomed)
            {
                context.Out.Write($"{verb} checkpoint {Lineage.Short(c.Fingerprint)}  {c.Step}  {c.ArtifactHash}  run {c.RunId}\n");
            }

            long freed = 0;
            int objects = 0;
            if (!dry)
            {
                // Checkpoints first: a crash between the two steps leaves unreferenced objects for the next gc, never a checkpoint without its object.
                await store.DeleteCheckpointsAsync(doomed.Select(c => c.Fingerprint), cancellationToken).ConfigureAwait(false);
            }

            foreach (ArtifactRef stored in unreferenced.OrderBy(o => o.Hash.ToString(), StringComparer.Ordinal))
            {
                if (dry || await artifacts.DeleteAsync(stored.Hash, cancellationToken).ConfigureAwait(false))
                {
                    context.Out.Write($"{verb} object {stored.Hash}  ({stored.Length} bytes)\n");
                    freed += stored.Length;
                    objects++;
                }
            }

            context.Out.Write($"{verb} {doomed.Count} checkpoint{(doomed.Count == 1 ? "" : "s")} and {objects} object{(objects == 1 ? "" : "s")}, {(dry ? "would free" : "freed")} {freed.ToString(CultureInfo.InvariantCulture)} bytes{(dry ? " (dry run: nothing was deleted)" : "")}\n");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Chooses the checkpoints to keep: those of the newest <paramref name="runs"/> runs, the newest of every step, and the checkpoints their inputs came from.</summary>
    /// <remarks>A reused step records no new checkpoint, so a kept run's upstream work may sit in an older run's checkpoint: following the inputs keeps it.</remarks>
    internal static HashSet<CheckpointRecord> Keep(Lineage lineage, int runs, out List<RunId> keptRuns)
    {
        keptRuns = [.. lineage.Checkpoints.Select(c => c.RunId).Distinct().OrderDescending().Take(runs)];
        var keepRuns = keptRuns.ToHashSet();
        IEnumerable<CheckpointRecord> roots = lineage.Checkpoints.Where(c => keepRuns.Contains(c.RunId))
            .Concat(lineage.Checkpoints.GroupBy(c => (c.Pipeline, c.Step)).Select(g => g.First()));
        return [.. roots.SelectMany(lineage.Ancestry)];
    }

    private static int ConfiguredKeepRuns(CommandContext context, ProjectPaths paths)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = ConfigurationLoader.Load(paths, context.Env.Variables);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"Configuration could not be read: {e.Message}");
        }

        string? value = configuration[KeepRunsKey];
        if (value is null)
        {
            return DefaultKeepRuns;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new UsageException($"Configuration '{KeepRunsKey}' is '{value}': give a whole number of runs, 0 or more.");
    }
}
