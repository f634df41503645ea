using System.Collections.Concurrent;
using Sluice.Artifacts;
using Sluice.Definitions;
using Sluice.Planning;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Decides whether a step's earlier result can be reused, and commits a new result as artifact, checkpoint and published file.</summary>
/// <remarks>
/// A step is reused when a checkpoint with its fingerprint exists and the artifact is intact (size checked).
/// Because the fingerprint is computed from the actual content hashes of the step's inputs, a re-run
/// upstream step whose bytes did not change leaves its downstream steps reusable (early cut-off).
/// </remarks>
public sealed class Checkpointing
{
    private readonly ICheckpointStore _checkpoints;
    private readonly IArtifactStore _artifacts;
    private readonly ArtifactSerializers _serializers;
    private readonly IReadOnlyDictionary<string, object> _parameters;
    private readonly Func<string, bool> _isForced;
    private readonly TimeProvider _time;
    private readonly IntegrityCheck _check;
    private readonly Lock _loading = new();
    private readonly ConcurrentDictionary<string, string> _canonical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CheckpointRecord> _committed = new(StringComparer.Ordinal);
    private Exception? _recordFailure;
    private Task? _load;
    private Task? _loadLatest;
    private Dictionary<FingerprintDigest, CheckpointSummary>? _byFingerprint;
    private bool _anyCheckpoint;
    private Dictionary<string, CheckpointRecord>? _latestByStep;

    /// <summary>Creates the gate for one run.</summary>
    /// <param name="checkpoints">Where checkpoints are kept.</param>
    /// <param name="artifacts">Where artifacts are stored and published.</param>
    /// <param name="serializers">How outputs become bytes.</param>
    /// <param name="parameters">The run's bound parameter sections.</param>
    /// <param name="isForced">Whether a step must run whatever its checkpoints say (<c>--force</c>).</param>
    /// <param name="time">The clock checkpoints are stamped with.</param>
    /// <param name="check">How a reusable artifact is checked: its size always; its content too with <see cref="IntegrityCheck.Full"/> (<c>--verify</c>).</param>
    public Checkpointing(ICheckpointStore checkpoints, IArtifactStore artifacts, ArtifactSerializers serializers, IReadOnlyDictionary<string, object> parameters, Func<string, bool> isForced, TimeProvider time, IntegrityCheck check = IntegrityCheck.Size)
    {
        _check = check;
        _checkpoints = checkpoints;
        _artifacts = artifacts;
        _serializers = serializers;
        _parameters = parameters;
        _isForced = isForced;
        _time = time;
    }

    /// <summary>Gets the artifact store.</summary>
    public IArtifactStore Artifacts => _artifacts;

    /// <summary>Gets or sets the secrets kept out of fingerprints (a parameter value that shows one is keyed as <c>***</c>) and refused in outputs (<see cref="SecretLeakException"/>).</summary>
    /// <value>The default value is <see cref="SecretRedactor.None"/>.</value>
    public SecretRedactor Redactor
    {
        get;
        set
        {
            // Which values are keyed as secrets depends on the redactor: sections canonicalized with the old one are stale.
            field = value;
            _canonical.Clear();
        }
    } = SecretRedactor.None;

    /// <summary>Decides run or reuse for a step whose inputs' artifacts are known, with the reason.</summary>
    public Task<ReuseDecision> DecideAsync(string pipeline, StepDefinition step, IReadOnlyDictionary<string, ArtifactRef> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(inputs);
        var hashes = new Dictionary<string, string>(inputs.Count, StringComparer.Ordinal);
        foreach ((string name, ArtifactRef input) in inputs)
        {
            hashes[name] = input.Hash.ToString();
        }

        return DecideAsync(pipeline, step, hashes, null, cancellationToken).AsTask();
    }

    // 'hashes' holds the text form of each step input's content hash and is the caller's to give away: file inputs are added to it.
    // A ValueTask: deciding a step whose object's size is checked synchronously completes without allocating a task.
    // With 'deferred', the stored object's size check of a step that publishes nothing is handed to it, and the step
    // is decided as if the object were intact: the caller plans again, checking in line, if one is not.
    private async ValueTask<ReuseDecision> DecideAsync(string pipeline, StepDefinition step, Dictionary<string, string> hashes, DeferredChecks? deferred, CancellationToken cancellationToken)
    {
        // Most steps take no project file: they share one empty map rather than allocate their own.
        Dictionary<string, string?>? fileHashes = null;
        if (TakesFiles(step))
        {
            foreach ((string key, string path) in FileInputs.Of(step, _parameters))
            {
                ContentHash? hash = await _artifacts.HashProjectFileAsync(path, cancellationToken).ConfigureAwait(false);
                fileHashes ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                fileHashes[path] = hash?.ToString();
                hashes[key] = hash?.ToString() ?? "missing";
            }
        }

        IReadOnlyDictionary<string, string?> files = fileHashes ?? ReuseDecision.NoFiles;
        Fingerprint fingerprint = Fingerprint.Compute(pipeline, step, _parameters, hashes, Redactor, _canonical);
        if (_isForced(step.Name))
        {
            return new ReuseDecision(fingerprint, null, "forced") { Files = files };
        }

        await LoadAsync(pipeline, cancellationToken).ConfigureAwait(false);
        CheckpointSummary? checkpoint;
        bool any;
        lock (_byFingerprint!)
        {
            checkpoint = _byFingerprint.GetValueOrDefault(fingerprint.Digest);
            any = _anyCheckpoint || _byFingerprint.Count > 0;
        }

        if (checkpoint is null)
        {
            CheckpointRecord? latest = any ? await LatestAsync(pipeline, step.Name, cancellationToken).ConfigureAwait(false) : null;
            return new ReuseDecision(fingerprint, null, latest is null ? "no checkpoint" : Changed(latest, fingerprint)) { Files = files };
        }

        var artifact = new ArtifactRef(ContentHash.Parse(checkpoint.ArtifactHash), checkpoint.ArtifactSize);
        if (deferred is not null && _check == IntegrityCheck.Size && step.PublishPath is null && step.Command is null)
        {
            deferred.Add(artifact);
            return new ReuseDecision(fingerprint, artifact, Reused(fingerprint, checkpoint.RunId)) { Files = files, ArtifactText = checkpoint.ArtifactHash };
        }

        IntegrityResult integrity = await _artifacts.CheckAsync(artifact, _check, cancellationToken).ConfigureAwait(false);
        if (!integrity.IsIntact)
        {
            return new ReuseDecision(fingerprint, null, integrity == IntegrityResult.Missing ? "artifact missing on disk" : $"artifact damaged on disk ({integrity.Reason})") { Files = files };
        }

        if (step.PublishPath is { } published)
        {
            IntegrityResult file = await _artifacts.CheckPublishedAsync(published, artifact, _check, cancellationToken).ConfigureAwait(false);
            if (!file.IsIntact)
            {
                // The stored object is fine: republishing it is enough. Deciding never writes, so 'plan' stays read-only.
                return new ReuseDecision(fingerprint, artifact, $"checkpoint {fingerprint.Abbreviated} (run {checkpoint.RunId}); {published} {file.Reason}, to republish")
                {
                    Republish = published,
                    Files = files,
                    ArtifactText = checkpoint.ArtifactHash,
                };
            }
        }

        if (step.Command is { Outputs.Count: > 0 } && await CommandOutputChangedAsync(step, artifact, cancellationToken).ConfigureAwait(false) is { } changed)
        {
            return new ReuseDecision(fingerprint, null, changed) { Files = files };
        }

        return new ReuseDecision(fingerprint, artifact, Reused(fingerprint, checkpoint.RunId)) { Files = files, ArtifactText = checkpoint.ArtifactHash };
    }

    // "checkpoint 5d1f0c2a (run ...)" from the fingerprint's digest: a reused step never writes out its 64 hex digits,
    // and the text is written once into its string (an interpolation handler rents, copies and copies again).
    private static string Reused(Fingerprint fingerprint, RunId run)
    {
        const string Checkpoint = "checkpoint ", Run = " (run ";
        string id = run.Value;
        return string.Create(Checkpoint.Length + 8 + Run.Length + id.Length + 1, (fingerprint.Digest, id), static (text, state) =>
        {
            Checkpoint.CopyTo(text);
            state.Digest.WritePrefix(text.Slice(Checkpoint.Length, 8));
            Run.CopyTo(text[(Checkpoint.Length + 8)..]);
            state.id.CopyTo(text[(Checkpoint.Length + 8 + Run.Length)..]);
            text[^1] = ')';
        });
    }

    private static bool TakesFiles(StepDefinition step)
    {
        foreach (Artifact input in step.InputArray)
        {
            if (input.Source is ArtifactSource.File or ArtifactSource.FileSet)
            {
                return true;
            }
        }

        return false;
    }

    // A command step's published files are its real output: one missing or changed means running it again, which republishes them all.
    private async Task<string?> CommandOutputChangedAsync(StepDefinition step, ArtifactRef artifact, CancellationToken cancellationToken)
    {
        var outputs = CommandStep.Outputs(step, artifact)
            ?? (CommandOutputs?)await _serializers.ReadAsync(_artifacts, artifact.Hash, typeof(CommandOutputs), cancellationToken).ConfigureAwait(false);
        foreach (CommandOutputFile file in outputs?.Files ?? [])
        {
            var expected = new ArtifactRef(ContentHash.Parse(file.Hash), file.Length);
            IntegrityResult published = await _artifacts.CheckPublishedAsync(file.Path, expected, _check, cancellationToken).ConfigureAwait(false);
            if (!published.IsIntact)
            {
                return $"output '{file.Path}' {published.Reason}";
            }
        }

        return null;
    }

    /// <summary>Refines a plan with checkpoints: a step is planned for reuse when every input it takes is reused and its checkpoint is intact.</summary>
    /// <remarks>A step downstream of one that runs is planned to run ("input 'clean' will change"); at run time it may still be reused if that input's bytes come out the same.</remarks>
    public async Task<ExecutionPlan> PlanAsync(ExecutionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (_check != IntegrityCheck.Size)
        {
            return await PlanStepsAsync(plan, null, cancellationToken).ConfigureAwait(false);
        }

        // The stored objects' size checks run on another thread while the steps are decided, as if every object were
        // intact. Almost always they are; when one is not, the plan is made again with each check in line, so its
        // reason, and what it changes downstream, are exactly those of checking one step at a time.
        var deferred = new DeferredChecks(_artifacts, cancellationToken);
        ExecutionPlan? planned = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? problems = null;
        try
        {
            planned = await PlanStepsAsync(plan, deferred, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineDefinitionException e)
        {
            // Said only if the checks agree: a damaged object may be why a step has no usable checkpoint.
            problems = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
        }

        if (await deferred.AllIntactAsync().ConfigureAwait(false))
        {
            problems?.Throw();
            return planned!;
        }

        return await PlanStepsAsync(plan, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ExecutionPlan> PlanStepsAsync(ExecutionPlan plan, DeferredChecks? deferred, CancellationToken cancellationToken)
    {
        // Each known output with its hash's text form, which the checkpoint row already holds: the fingerprints of the
        // steps that take it quote that text, so a large graph formats no hash.
        var known = new Dictionary<string, KnownOutput>(plan.Steps.Count, StringComparer.Ordinal);

        // One map of input hashes, refilled for each step: deciding copies what it keys, and steps are decided one at a time.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var refined = new PlannedStep[plan.Steps.Count];
        HashSet<string> needed = NeededButNotSelected(plan);
        var problems = new List<string>();
        for (int i = 0; i < refined.Length; i++)
        {
            PlannedStep planned = plan.Steps[i];
            if (planned.Pinned is { } pinned)
            {
                known[planned.Step.Name] = new KnownOutput(pinned, null);
                refined[i] = planned;
                continue;
            }

            if (planned.Decision == StepDecision.Skip && needed.Contains(planned.Step.Name))
            {
                // Left out of the selection, but a selected step takes its output: it must come from a checkpoint.
                string? missing = FirstUnknownInput(planned.Step, known);
                ReuseDecision? reuse = missing is null
                    ? await DecideAsync(plan.Pipeline.Name, planned.Step, InputHashes(planned.Step, known, hashes), deferred, cancellationToken).ConfigureAwait(false)
                    : null;
                if (reuse?.Artifact is { } stored)
                {
                    known[planned.Step.Name] = new KnownOutput(stored, reuse.ArtifactText);
                    refined[i] = planned with { Decision = StepDecision.Reuse, Reason = $"not selected; {reuse.Reason}", NotSelected = true, Decided = reuse };
                }
                else
                {
                    string why = reuse is null ? $"its input '{missing}' has no usable checkpoint either" : reuse.Reason;
                    problems.Add($"Step '{planned.Step.Name}' is not selected, but a selected step takes its output and it has no usable checkpoint ({why}): select it too, for example with --from {planned.Step.Name}.");
                    refined[i] = planned;
                }

                continue;
            }

            if (planned.Decision != StepDecision.Run)
            {
                refined[i] = planned;
                continue;
            }

            string? changing = FirstUnknownInput(planned.Step, known);
            if (changing is not null)
            {
                // A step that never ran says so; one that did is waiting on an input that is about to change. Whether it
                // ran comes from one load of every step's latest checkpoint: a query per step scanned the whole table
                // each time, and took minutes downstream of one changed step in a 10,000-step pipeline.
                string reason = _isForced(planned.Step.Name) ? "forced"
                    : await LatestAsync(plan.Pipeline.Name, planned.Step.Name, cancellationToken).ConfigureAwait(false) is null ? "no checkpoint"
                    : $"input '{changing}' will change";
                refined[i] = planned with { Reason = Prefixed(planned, reason) };
                continue;
            }

            ReuseDecision decision = await DecideAsync(plan.Pipeline.Name, planned.Step, InputHashes(planned.Step, known, hashes), deferred, cancellationToken).ConfigureAwait(false);
            if (decision.Artifact is { } artifact)
            {
                known[planned.Step.Name] = new KnownOutput(artifact, decision.ArtifactText);
                refined[i] = planned with { Decision = StepDecision.Reuse, Reason = decision.Reason, Decided = decision };
            }
            else
            {
                refined[i] = planned with { Reason = Prefixed(planned, decision.Reason) };
            }
        }

        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(plan.Pipeline.Name, problems);
        }

        return new ExecutionPlan(plan.Graph, refined);
    }

    /// <summary>Stored objects' size checks taken out of planning's loop, run in batches on the thread pool as it goes.</summary>
    private sealed class DeferredChecks(IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        // Large enough that starting a batch costs little against its checks, small enough that most run during planning.
        private const int BatchSize = 1024;
        private readonly List<Task<bool>> _running = [];
        private ArtifactRef[] _batch = new ArtifactRef[BatchSize];
        private int _count;

        public void Add(ArtifactRef artifact)
        {
            _batch[_count++] = artifact;
            if (_count == BatchSize)
            {
                ArtifactRef[] full = _batch;
                _running.Add(Task.Run(() => AllIntactAsync(full, full.Length), cancellationToken));
                _batch = new ArtifactRef[BatchSize];
                _count = 0;
            }
        }

        // Whether every object handed over is intact; the last, partial batch is checked on the caller's thread.
        public async Task<bool> AllIntactAsync()
        {
            bool intact = await AllIntactAsync(_batch, _count).ConfigureAwait(false);
            foreach (Task<bool> batch in _running)
            {
                intact &= await batch.ConfigureAwait(false);
            }

            return intact;
        }

        private async Task<bool> AllIntactAsync(ArtifactRef[] batch, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (!(await artifacts.CheckAsync(batch[i], IntegrityCheck.Size, cancellationToken).ConfigureAwait(false)).IsIntact)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A step output known while planning, with its hash's text form when a checkpoint gave it.</summary>
    private readonly record struct KnownOutput(ArtifactRef Artifact, string? HashText)
    {
        public string Text => HashText ?? Artifact.Hash.ToString();
    }

    /// <summary>Starts reading the pipeline's checkpoints on the thread pool, so the read overlaps what the caller does before planning.</summary>
    /// <remarks>The first decision awaits the same read; a failure surfaces there, as if the read had started then.</remarks>
    internal void StartLoading(string pipeline, CancellationToken cancellationToken)
    {
        lock (_loading)
        {
            _load ??= Task.Run(() => LoadAllAsync(pipeline, cancellationToken), cancellationToken);
        }
    }

    // One query for every checkpoint of the pipeline, then decisions from memory: a per-step query would flush the
    // store's group-committing writer on every decision and turn a no-op re-run into one commit and one read per step.
    // Only what deciding needs is read; the key texts that explain a change come in a second query, on the first change.
    private Task LoadAsync(string pipeline, CancellationToken cancellationToken)
    {
        lock (_loading)
        {
            return _load ??= LoadAllAsync(pipeline, cancellationToken);
        }
    }

    /// <summary>Gets or sets where the pipeline's checkpoints may already be, read and indexed ahead; null from it means read them from the store.</summary>
    /// <remarks>Whatever it returns is this gate's to change: each index is taken once.</remarks>
    internal Func<string, Task<CheckpointIndex?>>? Prefetched { get; set; }

    private async Task LoadAllAsync(string pipeline, CancellationToken cancellationToken)
    {
        // Keyed by the digest's numbers, which a step's fingerprint has without writing out its text.
        CheckpointIndex index = (Prefetched is { } prefetched ? await prefetched(pipeline).ConfigureAwait(false) : null)
            ?? new CheckpointIndex(await _checkpoints.ListCheckpointSummariesAsync(pipeline, cancellationToken).ConfigureAwait(false));
        Dictionary<FingerprintDigest, CheckpointSummary> byFingerprint = index.ByFingerprint;

        lock (_committed)
        {
            // What this gate committed before the load finished is newer than what the load read.
            foreach (CheckpointRecord committed in _committed.Values)
            {
                if (FingerprintDigest.TryParse(committed.Fingerprint, out FingerprintDigest digest))
                {
                    byFingerprint[digest] = Summary(committed);
                }
            }

            _byFingerprint = byFingerprint;
            _anyCheckpoint = index.Count > 0;
        }
    }

    // The newest checkpoint of a step, with its key text, to say what changed since.
    private async Task<CheckpointRecord?> LatestAsync(string pipeline, string step, CancellationToken cancellationToken)
    {
        Task load;
        lock (_loading)
        {
            load = _loadLatest ??= LoadLatestAsync(pipeline, cancellationToken);
        }

        await load.ConfigureAwait(false);
        lock (_committed)
        {
            return _committed.GetValueOrDefault(step) ?? _latestByStep!.GetValueOrDefault(step);
        }
    }

    private async Task LoadLatestAsync(string pipeline, CancellationToken cancellationToken)
    {
        IReadOnlyList<CheckpointRecord> all = await _checkpoints.ListCheckpointsAsync(pipeline, null, cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, CheckpointRecord>(StringComparer.Ordinal);
        foreach (CheckpointRecord checkpoint in all)
        {
            // Newest first: the first seen of each step is its latest.
            latest.TryAdd(checkpoint.Step, checkpoint);
        }

        lock (_committed)
        {
            _latestByStep = latest;
        }
    }

    private static CheckpointSummary Summary(CheckpointRecord checkpoint) =>
        new(checkpoint.Fingerprint, checkpoint.RunId, checkpoint.ArtifactHash, checkpoint.ArtifactSize);

    private static string Prefixed(PlannedStep planned, string reason) =>
        planned.ReasonPrefix is { } prefix ? $"{prefix}; {reason}" : reason;

    // Loops, not LINQ: planning a large graph calls these once per step.
    private static Dictionary<string, string> InputHashes(StepDefinition step, Dictionary<string, KnownOutput> known, Dictionary<string, string> hashes)
    {
        hashes.Clear();
        foreach (Artifact input in step.InputArray)
        {
            if (input.Source == ArtifactSource.Step)
            {
                hashes[input.Name] = known[input.Name].Text;
            }
        }

        return hashes;
    }

    private static string? FirstUnknownInput(StepDefinition step, Dictionary<string, KnownOutput> known)
    {
        foreach (Artifact input in step.InputArray)
        {
            if (input.Source == ArtifactSource.Step && !known.ContainsKey(input.Name))
            {
                return input.Name;
            }
        }

        return null;
    }

    // The steps left out whose outputs a selected step takes, directly or through other left-out steps.
    private static HashSet<string> NeededButNotSelected(ExecutionPlan plan)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<StepDefinition>();
        foreach (PlannedStep s in plan.Steps)
        {
            if (s.Decision == StepDecision.Skip)
            {
                skipped.Add(s.Step.Name);
            }
            else if (s.Decision == StepDecision.Run)
            {
                stack.Push(s.Step);
            }
        }

        if (skipped.Count == 0)
        {
            return needed;
        }

        while (stack.TryPop(out StepDefinition? step))
        {
            foreach (Artifact input in step.InputArray)
            {
                if (input.Source == ArtifactSource.Step && skipped.Contains(input.Name) && needed.Add(input.Name))
                {
                    stack.Push(plan.Pipeline[input.Name]);
                }
            }
        }

        return needed;
    }

    // Notes the first checkpoint write that fails (when it fails, not by scanning the writes still pending at every
    // commit: a writer behind by thousands of rows would make that quadratic) and throws it, so the step committing now fails.
    private void Track(Task recorded)
    {
        if (!recorded.IsCompleted)
        {
            recorded.ContinueWith(
                static (t, state) => Interlocked.CompareExchange(ref ((Checkpointing)state!)._recordFailure, t.Exception!.InnerException, null),
                this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else if (recorded.IsFaulted)
        {
            Interlocked.CompareExchange(ref _recordFailure, recorded.Exception!.InnerException, null);
        }

        if (Volatile.Read(ref _recordFailure) is { } failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }

    /// <summary>Stores a step's output, records its checkpoint and publishes it; the artifact is durable before anything points at it.</summary>
    public async Task<ArtifactRef> CommitAsync(StepDefinition step, Fingerprint fingerprint, object? value, RunId run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(fingerprint);
        // A command step with one output has that file, already in the store, as its artifact: nothing more to write.
        // Anything else is serialized; output that shows a secret is refused before any of its bytes is stored, so it
        // can be neither kept nor published.
        ArtifactRef artifact = CommandStep.StoredFile(step, value) is { } file
            ? file
            : await _serializers.WriteAsync(_artifacts, value, step.OutputType, cancellationToken, Redactor, $"step '{step.Name}'").ConfigureAwait(false);

        // A command step's output files may still be being made durable and published (while a manifest was written): they must be before the checkpoint.
        await CommandStep.Published(value).ConfigureAwait(false);

        // The object is durable from here: a crash before the checkpoint re-runs the step, and the content-addressed write makes that harmless.
        if (step.PublishPath is { } published)
        {
            await _artifacts.PublishAsync(artifact.Hash, published, cancellationToken).ConfigureAwait(false);
        }

        var checkpoint = new CheckpointRecord(fingerprint.Value, fingerprint.Pipeline, step.Name, run, artifact.Hash.ToString(), artifact.Length, fingerprint.Key, _time.GetUtcNow());
        // Not awaited: the store commits in call order, so the checkpoint is committed before (or with) anything later
        // in this run, this step's success and the next step's writes included; a crash before the commit loses it and
        // what follows it together, and the next run re-runs the step. A store that fails is found by the next commit,
        // which fails its step, and by the run's final flush.
        Task recorded = _checkpoints.RecordCheckpointAsync(checkpoint, cancellationToken);
        if (recorded.IsCanceled)
        {
            await recorded.ConfigureAwait(false);
        }

        Track(recorded);
        lock (_committed)
        {
            // Newer than anything loaded: later decisions of this run see it whether or not the loads have happened.
            _committed[step.Name] = checkpoint;
            if (_byFingerprint is not null)
            {
                lock (_byFingerprint)
                {
                    _byFingerprint[fingerprint.Digest] = Summary(checkpoint);
                }
            }
        }

        return artifact;
    }

    /// <summary>Checks a pinned artifact (from <c>run --resume</c>) before it is fed to the steps after it.</summary>
    public async Task<ReuseDecision> PinnedAsync(string pipeline, StepDefinition step, ArtifactRef pinned, IReadOnlyDictionary<string, ArtifactRef> inputs, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        IntegrityResult integrity = await _artifacts.CheckAsync(pinned, _check, cancellationToken).ConfigureAwait(false);
        if (!integrity.IsIntact)
        {
            throw new InvalidOperationException(
                $"The output of '{step.Name}' that the resumed run produced ({pinned.Hash.ShortHex}) is {integrity.Reason}: it cannot be resumed with the exact versions; run without --resume.");
        }

        var hashes = inputs.ToDictionary(i => i.Key, i => i.Value.Hash.ToString(), StringComparer.Ordinal);
        foreach ((string key, string path) in FileInputs.Of(step, _parameters))
        {
            hashes[key] = (await _artifacts.HashProjectFileAsync(path, cancellationToken).ConfigureAwait(false))?.ToString() ?? "missing";
        }

        Fingerprint fingerprint = Fingerprint.Compute(pipeline, step, _parameters, hashes, Redactor, _canonical);
        return new ReuseDecision(fingerprint, pinned, reason);
    }

    /// <summary>Publishes a reused step's artifact again where its published file went missing or changed; returns the reason to record.</summary>
    public async Task<string> RepublishAsync(ReuseDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision is not { Artifact: { } artifact, Republish: { } path })
        {
            return decision.Reason;
        }

        await _artifacts.PublishAsync(artifact.Hash, path, cancellationToken).ConfigureAwait(false);
        return decision.Reason.Replace(", to republish", ", republished", StringComparison.Ordinal);
    }

    /// <summary>Reads a stored output back as a value of the producing step's type.</summary>
    public Task<object?> LoadAsync(StepDefinition producer, ArtifactRef artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(producer);
        return CommandStep.Outputs(producer, artifact) is { } outputs
            ? Task.FromResult<object?>(outputs)
            : _serializers.ReadAsync(_artifacts, artifact.Hash, producer.OutputType, cancellationToken);
    }

    private static string Changed(CheckpointRecord latest, Fingerprint current)
    {
        try
        {
            IReadOnlyList<string> reasons = Fingerprint.Explain(Fingerprint.FromKey(latest.FingerprintKey), current);
            return reasons.Count switch
            {
                0 => "no checkpoint",
                1 => reasons[0],
                _ => $"{reasons[0]} (+{reasons.Count - 1} more)",
            };
        }
        catch (FormatException)
        {
            return "fingerprint format changed";
        }
    }
}

/// <summary>Run or reuse for one step: reuse when <see cref="Artifact"/> is set.</summary>
/// <param name="Fingerprint">The step's fingerprint for this run.</param>
/// <param name="Artifact">The reusable artifact, or null to run.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ReuseDecision(Fingerprint Fingerprint, ArtifactRef? Artifact, string Reason)
{
    /// <summary>Gets the content hash of each project file the step takes (null where missing), by path.</summary>
    public IReadOnlyDictionary<string, string?> Files { get; init; } = NoFiles;

    /// <summary>Gets the map of a step that takes no project file, shared so planning a large graph does not allocate one per step.</summary>
    internal static IReadOnlyDictionary<string, string?> NoFiles { get; } = new Dictionary<string, string?>();

    /// <summary>Gets the published path to write again before the reuse counts, if its file is missing or changed.</summary>
    public string? Republish { get; init; }

    /// <summary>Gets <see cref="Artifact"/>'s hash in text form as the checkpoint recorded it, so planning a large graph does not format it again.</summary>
    internal string? ArtifactText { get; init; }

    /// <summary>Gets whether the step's earlier result is reused.</summary>
    public bool Reuse => Artifact is not null;
}
