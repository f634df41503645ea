using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Cli.Telemetry;
using Sluice.Execution;
using Sluice.Planning;
using Sluice.State;
using Sluice.Telemetry;

namespace Sluice.Cli.Commands;

/// <summary><c>run</c>: plans, takes the project lock, executes and records a run.</summary>
internal static class RunCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir)
    {
        var selection = new SelectionOptions();
        var maxParallel = new Option<int?>("--max-parallel", "-j")
        {
            Description = "How many steps may run at once (a command step until its program exits). Default: the processor count.",
        };
        var keepGoing = new Option<bool>("--keep-going", "-k")
        {
            Description = "After a step fails, go on running every branch not downstream of it.",
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "If another run holds this project, wait for it instead of refusing.",
        };
        var force = new Option<string[]>("--force")
        {
            Description = "Run these steps even if a checkpoint says their result can be reused.",
            AllowMultipleArgumentsPerToken = true,
        };
        var forceAll = new Option<bool>("--force-all")
        {
            Description = "Run every selected step, reusing nothing.",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "Re-hash stored and published artifacts before reusing them (the size is always checked).",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Resume a run (id, prefix or 'last'): run only its failed, cancelled or never-run steps, fed the exact outputs its succeeded steps produced.",
        };
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Print only failures and the run's result.",
        };
        var noProgress = new Option<bool>("--no-progress")
        {
            Description = "Print a line per event instead of the live view (the default when output is not a terminal, or with CI, NO_COLOR or TERM=dumb; see SLUICE_PROGRESS).",
        };
        var command = new Command("run", "Run the pipeline: execute the selected steps in dependency order and record everything.");
        selection.AddTo(command);
        command.Options.Add(maxParallel);
        command.Options.Add(keepGoing);
        command.Options.Add(wait);
        command.Options.Add(force);
        command.Options.Add(forceAll);
        command.Options.Add(verify);
        command.Options.Add(resume);
        command.Options.Add(quiet);
        command.Options.Add(noProgress);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            int parallel = result.GetValue(maxParallel) ?? context.Env.ProcessorCount;
            if (parallel < 1)
            {
                throw new UsageException($"--max-parallel is {parallel}: give 1 or more.");
            }

            // The checkpoints are read on the other core while the pipeline is defined; they are used only if nothing
            // else has committed by the time the lock is held (CheckpointPrefetch), and read again otherwise.
            Task<PrefetchedCheckpoints?> prefetch = result.GetValue(forceAll) || result.GetValue(resume) is not null
                ? Task.FromResult<PrefetchedCheckpoints?>(null)
                : Task.Run(() => PrefetchedCheckpoints.Read(paths.Database), CancellationToken.None);
            _ = Task.Run(Fingerprint.LoadHasher, CancellationToken.None);
            try
            {
                // Everything that can be wrong with the definition, config or selection is found before any file is written.
                ProjectSettings settings = PlanCommand.BindSettings(context, paths);
                IReadOnlyDictionary<string, object> parameters = settings.Parameters;
                // Outputs of steps left out can come from checkpoints once a run has recorded some.
                StepSelection selected = selection.Read(result);
                ExecutionPlan plan = Planner.Plan(context.Graph, selected, inputsFromCheckpoints: File.Exists(paths.Database));
                HashSet<string> forced = PlanCommand.CheckStepNames(context, result.GetValue(force) ?? [], "--force");
                bool all = result.GetValue(forceAll);
                RunId? resumedFrom = null;
                if (result.GetValue(resume) is { } resumeText)
                {
                    if (!selected.IsAll || forced.Count > 0 || all)
                    {
                        throw new UsageException("--resume repeats the resumed run's own selection: leave out --only, --from, --until and --force.");
                    }

                    (RunRecord? toResume, plan) = await ResumePlanAsync(context, paths, resumeText, cancellationToken).ConfigureAwait(false);
                    if (toResume is null)
                    {
                        return ExitCodes.Success;
                    }

                    resumedFrom = toResume.Id;
                }

                Func<string, bool> isForced = step => all || forced.Contains(step);
                bool live = LiveProgressSelection.Choose(context.Env, result.GetValue(noProgress), result.GetValue(quiet)).Live;

                // Folder fsyncs wait for the run store's next commit, which runs them first (docs/file-formats.md, "durable when");
                // with Sluice:Durability = ProcessCrash nothing is fsynced at all.
                var durability = new Sluice.FileSystem.DurabilityBarrier { FlushesToDisk = settings.Sluice.Durability == Sluice.Configuration.Durability.PowerLoss };
                var options = new RunOptions
                {
                    MaxParallel = parallel,
                    KeepGoing = result.GetValue(keepGoing),
                    Services = new Sluice.Processes.CommandServices(paths.Root, new ConfigurationServices(settings.Configuration, context.Services), durability: durability),
                    ProjectDirectory = paths.Root,
                    Jitter = context.Env.Random.NextDouble,
                    Redactor = settings.Secrets,
                };
                return await ExecuteAsync(context, paths, plan, settings, options, isForced, result.GetValue(verify), result.GetValue(wait), result.GetValue(quiet), options.Redactor.Redact(string.Join(' ', result.Tokens.Select(t => t.Value))), cancellationToken, resumedFrom, live, prefetch).ConfigureAwait(false);
            }
            finally
            {
                // Not awaited on the way out: a definition error is reported without waiting for a read nobody needs.
                _ = prefetch.ContinueWith(static read => read.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        });
        return command;
    }

    /// <summary>Plans the resumption of a run: its succeeded steps pinned to the outputs they produced, the rest to run; null run when there is nothing to resume.</summary>
    private static async Task<(RunRecord? Run, ExecutionPlan Plan)> ResumePlanAsync(CommandContext context, ProjectPaths paths, string text, CancellationToken cancellationToken)
    {
        await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
        RunRecord run = await CommandContext.FindRunAsync(store, text, cancellationToken).ConfigureAwait(false);
        ExecutionPlan all = Planner.Plan(context.Graph, StepSelection.All, inputsFromCheckpoints: true);
        if (run.Status == RunStatus.Succeeded)
        {
            context.Out.Write($"Run {run.Id} succeeded: nothing to resume.\n");
            return (null, all);
        }

        if (run.Pipeline != context.Pipeline.Name)
        {
            throw new UsageException($"Run {run.Id} is of pipeline '{run.Pipeline}', not '{context.Pipeline.Name}'.");
        }

        Dictionary<string, StepRecord> before = (await store!.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Step, StringComparer.Ordinal);
        var steps = new List<PlannedStep>(all.Steps.Count);
        foreach (PlannedStep planned in all.Steps)
        {
            if (!before.TryGetValue(planned.Step.Name, out StepRecord? was))
            {
                steps.Add(planned with { Reason = $"not in run {run.Id}" });
            }
            else if (was.Status is StepStatus.Succeeded or StepStatus.Reused && was.ArtifactHash is { } hash && was.ArtifactSize is { } size)
            {
                steps.Add(planned with
                {
                    Decision = StepDecision.Reuse,
                    Reason = $"resumed: output of run {run.Id}",
                    Pinned = new Sluice.Artifacts.ArtifactRef(Sluice.Artifacts.ContentHash.Parse(hash), size),
                });
            }
            else if (was.Status == StepStatus.Skipped)
            {
                steps.Add(planned with { Decision = StepDecision.Skip, Reason = $"not selected in run {run.Id}" });
            }
            else
            {
                steps.Add(planned with { Reason = $"{was.Status.ToText()} in run {run.Id}", ReasonPrefix = $"{was.Status.ToText()} in run {run.Id}" });
            }
        }

        return (run, new ExecutionPlan(all.Graph, steps));
    }

    internal static async Task<int> ExecuteAsync(
        CommandContext context,
        ProjectPaths paths,
        ExecutionPlan plan,
        ProjectSettings settings,
        RunOptions options,
        Func<string, bool> isForced,
        bool verify,
        bool wait,
        bool quiet,
        string arguments,
        CancellationToken cancellationToken,
        RunId? resumedFrom = null,
        bool liveProgress = false,
        Task<PrefetchedCheckpoints?>? prefetch = null)
    {
        AppEnvironment env = context.Env;
        IReadOnlyDictionary<string, object> parameters = settings.Parameters;
        var me = new LockHolder(env.ProcessId, env.HostName, env.Time.GetUtcNow(), "run " + arguments);

        // The host's logger factory, if the app registered one (Serilog, OpenTelemetry, ...), gets the engine's messages and the steps' lines too.
        options.LoggerFactory = context.Services?.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? options.LoggerFactory;
        ILogger log = options.LoggerFactory.CreateLogger(Log.EngineCategory);
        using ProjectLock held = await AcquireAsync(paths, me, wait, context, cancellationToken, log).ConfigureAwait(false);

        // After the lock: a second run queued behind this one must not fight it for the scrape port.
        using TelemetryExport? export = TelemetryExport.Start(settings.Sluice.Telemetry, plan.Pipeline.Name, log, context.Error);

        Sluice.FileSystem.DurabilityBarrier? durability = (options.Services as Sluice.Processes.CommandServices)?.Durability;
        await using Sluice.Sqlite.SqliteRunStore store = await StoreFactory.OpenAsync(paths, durability).ConfigureAwait(false);

        // We hold the project lock, so any run still marked running belongs to a process that died. Awaited only once
        // the plan is made: the writer applies writes in call order, so the marks land before this run's creation
        // whenever it gets to them, and planning does not wait for the writer thread to be scheduled (docs/benchmarks.md).
        Task<IReadOnlyList<RunId>> interrupting = store.MarkInterruptedAsync(_ => true, env.Time.GetUtcNow(), CancellationToken.None);

        options.Checkpointing = StoreFactory.Checkpointing(paths, store, context.Pipeline.Serializers, parameters, isForced, env.Time, verify, durability);
        options.Checkpointing.Redactor = options.Redactor;
        if (prefetch is not null)
        {
            options.Checkpointing.Prefetched = async pipeline => (await prefetch.ConfigureAwait(false))?.TakeIfCurrent(pipeline);
        }

        // The checkpoints are read while the temporary files are cleaned: planning needs them first thing (unless it forces every step).
        if (plan.Steps.Any(s => s.Decision != StepDecision.Skip && !isForced(s.Step.Name)))
        {
            options.Checkpointing.StartLoading(plan.Pipeline.Name, cancellationToken);
        }

        // We hold the lock: any temporary file left in the store or beside a published path is from a dead run.
        // A command step's outputs are published paths too: a killed run may leave a publish temp file beside one.
        int cleaned = await options.Checkpointing.Artifacts.CleanTemporaryFilesAsync(
            TimeSpan.Zero, plan.Steps.SelectMany(s => s.Step.Command?.Outputs ?? (s.Step.PublishPath is { } published ? [published] : [])), CancellationToken.None).ConfigureAwait(false);
        if (cleaned > 0)
        {
            context.Error.Write($"note: removed {cleaned} temporary file(s) left by an interrupted run.\n");
            Log.TemporaryFilesRemoved(log, cleaned);
        }

        // Command steps' staging folders of a killed run: what a program half-wrote there is never published or read.
        int staged = Sluice.Processes.CommandWorkspace.CleanStaging(paths.Root);
        if (staged > 0)
        {
            context.Error.Write($"note: removed the staging folders of {staged} interrupted run(s).\n");
        }

        plan = await options.Checkpointing.PlanAsync(plan, cancellationToken).ConfigureAwait(false);
        foreach (RunId id in await interrupting.ConfigureAwait(false))
        {
            context.Error.Write($"note: run {id} was interrupted (its process died); marked interrupted.\n");
            Log.RunInterrupted(log, id.Value);
        }

        DateTimeOffset now = env.Time.GetUtcNow();
        RunId runId = RunId.New(now, env.Random.Next(0, 0x10000));
        var run = new RunRecord(runId, plan.Pipeline.Name, RunStatus.Pending, now, null, arguments, env.HostName, env.ProcessId, null, resumedFrom);
        string runLogs = paths.RunLogs(runId.Value);
        int width = Math.Max(4, plan.Steps.Where(s => s.Decision != StepDecision.Skip).Select(s => s.Step.Name.Length).DefaultIfEmpty(4).Max());
        using var jsonLines = new JsonLinesObserver(Path.Combine(runLogs, "run.jsonl"), env.Time, options.Redactor);
        using var stepLogs = new StepLogFiles(runLogs, env.Time);
        await using LiveProgress? live = liveProgress ? LiveProgress.Start(LiveProgress.CreateConsole(context.Out, env.Variables), plan, env.Time, context.Zone, cancellationToken) : null;
        var observers = new IRunObserver[] { live ?? (IRunObserver)new ConsoleObserver(context.Out, context.Zone, width, quiet), jsonLines, stepLogs };
        await using Alerts.CommandAlerts? alerts = await Alerts.CommandAlerts.ForRunAsync(context, paths, settings, store, options, cancellationToken).ConfigureAwait(false);

        // What steps write to the console goes to their logs, redacted, for as long as the run executes.
        using ConsoleCapture capture = ConsoleCapture.Start(options.Redactor);
        var coordinator = new RunCoordinator(store, env.Time, [capture, .. observers], options);
        RunResult result = await coordinator.RunAsync(plan, run, parameters, cancellationToken).ConfigureAwait(false);

        // Every step has ended: the staging folders command steps kept for reuse go (we still hold the lock).
        _ = Sluice.Processes.CommandWorkspace.CleanStaging(paths.Root);
        await (live?.CompleteAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        if (alerts is not null)
        {
            // Delivery never changes the exit code: this waits at most the drain limit, then notes what was given up.
            await alerts.DrainAsync(runId).ConfigureAwait(false);
        }

        if (result.Status != RunStatus.Succeeded)
        {
            context.Out.Write($"details: show {runId}   logs: {paths.Relative(runLogs)}/\n");
        }

        return result.Status switch
        {
            RunStatus.Succeeded => ExitCodes.Success,
            RunStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.RunFailed,
        };
    }

    /// <summary>Takes the project's run lock, waiting for the holder when asked to, else failing with <see cref="ProjectBusyException"/>.</summary>
    internal static async Task<ProjectLock> AcquireAsync(ProjectPaths paths, LockHolder me, bool wait, CommandContext context, CancellationToken cancellationToken, ILogger? log = null)
    {
        bool told = false;
        while (true)
        {
            ProjectLock? acquired = ProjectLock.TryAcquire(paths.LockFile, me, out LockHolder? holder);
            if (acquired is not null)
            {
                return acquired;
            }

            string who = holder?.Describe(context.Zone) ?? "another process";
            if (!wait)
            {
                throw new ProjectBusyException(
                    $"Another run holds this project ({who}). Wait for it to finish, or pass --wait to queue behind it. Lock: {paths.Relative(paths.LockFile)}");
            }

            if (!told)
            {
                context.Error.Write($"waiting for the run of {who} to finish...\n");
                if (log is not null)
                {
                    Log.WaitingForLock(log, who, paths.Relative(paths.LockFile));
                }

                told = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), context.Env.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
