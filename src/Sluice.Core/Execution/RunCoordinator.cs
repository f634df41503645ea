using Sluice.Artifacts;
using Sluice.Definitions;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Walks an execution plan: starts ready steps up to the parallel limit, fails fast or keeps going, and records every state change.</summary>
public sealed class RunCoordinator
{
    private static readonly Dictionary<string, string?> NoHashes = [];

    private readonly IRunStore _store;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IRunObserver> _observers;
    private readonly RunOptions _options;

    /// <summary>Creates a coordinator over a run store, a clock and the observers of its events.</summary>
    public RunCoordinator(IRunStore store, TimeProvider time, IReadOnlyList<IRunObserver> observers, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxParallel < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxParallel, "MaxParallel must be 1 or more.");
        }

        _store = store;
        _time = time;
        _observers = observers;
        _options = options;
    }

    /// <summary>Executes <paramref name="plan"/> as the run <paramref name="run"/>; step failures are outcomes, not exceptions.</summary>
    /// <param name="plan">The plan to execute.</param>
    /// <param name="run">The run's record, created in the store by this call.</param>
    /// <param name="parameters">The bound parameter sections, by section name.</param>
    /// <param name="cancellationToken">Cancels the run: no new step starts and running ones are cancelled.</param>
    public async Task<RunResult> RunAsync(ExecutionPlan plan, RunRecord run, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(parameters);
        string[] unbound = [.. plan.Pipeline.Parameters.Select(p => p.Section).Where(section => !parameters.ContainsKey(section))];
        if (unbound.Length > 0)
        {
            // Found before the run is created, so the store never holds a run that could not start.
            throw new ArgumentException($"Parameters not bound: {string.Join(", ", unbound)}. Bind them with ParameterBinder.Bind first.", nameof(parameters));
        }

        var telemetry = new Telemetry.RunTelemetry(plan.Pipeline.Name, run.Id, _options, _store);
        var journal = new RunJournal(_store, telemetry.Observing ? [.. _observers, telemetry] : _observers, _time, _options.Redactor);
        bool[] settled = SettledReuses(plan, _options.Checkpointing is not null);
        var state = new RunState(plan, run.Id, parameters, journal, new LocalStepDispatcher(new StepRunner(journal, _options, telemetry, plan.Pipeline.Name)), _options, settled);
        long started = _time.GetTimestamp();

        // A reuse settled while planning is created final, with its artifact: nothing about it is left to decide, so a
        // no-op re-run writes one row per step instead of a row, two updates and an event. The hash's text is the one
        // its checkpoint was read with, not formatted again (10,000 strings of fresh memory in a no-op re-run).
        DateTimeOffset created = journal.Now;
        var records = new StepRecord[plan.Steps.Count];
        int reusable = 0;
        for (int i = 0; i < records.Length; i++)
        {
            PlannedStep s = plan.Steps[i];
            reusable += s.Decision == StepDecision.Reuse ? 1 : 0;
            records[i] = settled[s.Position] && s.Decided?.Artifact is { } artifact
                ? new StepRecord(run.Id, s.Step.Name, s.Order, StepStatus.Reused, s.DecisionText, s.Reason, 0, null, created, s.Decided.ArtifactText ?? artifact.Hash.ToString(), artifact.Length)
                : new StepRecord(run.Id, s.Step.Name, s.Order, s.Decision == StepDecision.Skip ? StepStatus.Skipped : StepStatus.Pending, s.DecisionText, s.Reason, 0, null, null);
        }

        // Queued, not yet awaited: the writer inserts the step rows while this thread tells the observers about the
        // settled steps. Writes apply in call order, so everything below lands after the run's rows or fails with them.
        Task creating = _store.CreateRunAsync(run with { Status = RunStatus.Pending }, records, CancellationToken.None);
        journal.TransitionRun(run.Id, RunStatus.Pending, RunStatus.Running, null);
        journal.Emit(new RunEvent(run.Id, journal.Now, RunEventKind.RunStarted,
            Reason: $"{plan.RunCount} of {plan.Steps.Count} steps to run" + (reusable > 0 ? $", {reusable} to reuse" : "")));
        var atStart = new List<RunEvent>();
        foreach (PlannedStep s in plan.Steps)
        {
            if (s.Decision == StepDecision.Skip)
            {
                atStart.Add(new RunEvent(run.Id, created, RunEventKind.StepSkipped, s.Step.Name, Reason: s.Reason));
            }
            else if (settled[s.Position])
            {
                atStart.Add(new RunEvent(run.Id, created, RunEventKind.StepSkipped, s.Step.Name, Reason: "reused: " + s.Reason));
            }
        }

        journal.EmitAll(atStart);

        // No step starts before the run and its step rows are committed: a run the store could not create never executes.
        await creating.ConfigureAwait(false);
        await state.ExecuteAsync(cancellationToken).ConfigureAwait(false);

        RunStatus status;
        string reason;
        if (cancellationToken.IsCancellationRequested && state.StoppedByCancellation)
        {
            (status, reason) = (RunStatus.Cancelled, "cancelled on request");
        }
        else if (state.FirstFailure is { } failed)
        {
            int count = state.FailedCount;
            (status, reason) = (RunStatus.Failed, count == 1 ? $"step '{failed}' failed" : $"{count} steps failed, first '{failed}'");
        }
        else
        {
            (status, reason) = (RunStatus.Succeeded, state.ReusedCount == 0
                ? $"{state.SucceededCount} steps succeeded"
                : $"{state.SucceededCount} steps succeeded, {state.ReusedCount} reused");
        }

        TimeSpan duration = _time.GetElapsedTime(started);
        journal.TransitionRun(run.Id, RunStatus.Running, status, status == RunStatus.Succeeded ? null : reason);
        RunEventKind kind = status switch
        {
            RunStatus.Succeeded => RunEventKind.RunSucceeded,
            RunStatus.Cancelled => RunEventKind.RunCancelled,
            _ => RunEventKind.RunFailed,
        };
        journal.Emit(new RunEvent(run.Id, journal.Now, kind, Duration: duration, Reason: reason));
        Dictionary<string, StepStatus> statuses = state.FinalStatuses();
        telemetry.Complete(duration, statuses);
        Alerts.EngineAlerts.RunEnded(_options.Alerts, plan.Pipeline.Name, run.Id, status, reason, duration, state.FirstFailure, journal.Now);

        // Durable before we report: the caller's exit code must match what the store says.
        await journal.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        return new RunResult(run.Id, status, statuses, duration, reason);
    }

    // A reuse decided while planning needs nothing more at run time unless it must republish a file or check a pinned
    // artifact, so it is recorded up front and never dispatched.
    private static bool[] SettledReuses(ExecutionPlan plan, bool checkpointing)
    {
        var settled = new bool[plan.Steps.Count];
        if (!checkpointing)
        {
            return settled;
        }

        foreach (PlannedStep s in plan.Steps)
        {
            settled[s.Position] = s is { Decision: StepDecision.Reuse, Pinned: null, Decided: { Reuse: true, Republish: null } };
        }

        return settled;
    }

    /// <summary>The mutable bookkeeping of one run; only the coordinator's loop touches it.</summary>
    private sealed class RunState(
        ExecutionPlan plan,
        RunId runId,
        IReadOnlyDictionary<string, object> parameters,
        RunJournal journal,
        IStepDispatcher dispatcher,
        RunOptions options,
        bool[] settled)
    {
        private readonly PipelineGraph _graph = plan.Graph;
        private readonly StepStatus[] _status = new StepStatus[plan.Steps.Count];
        private readonly int[] _waitingOn = new int[plan.Steps.Count];
        private readonly object?[] _values = new object?[plan.Steps.Count];
        private readonly int[] _consumersLeft = new int[plan.Steps.Count];
        private readonly ArtifactRef?[] _refs = new ArtifactRef?[plan.Steps.Count];
        private readonly int[][] _producers = new int[plan.Steps.Count][];
        private readonly Dictionary<int, Task<object?>> _loads = [];
        private readonly PriorityQueue<int, int> _ready = new();
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Queue<Lane> _waitingForSlot = new();
        private readonly ILaneStarter? _starter = options.Services?.GetService(typeof(ILaneStarter)) as ILaneStarter;
        private CancellationToken _cancel;

        // Steps holding one of the MaxParallel places, and steps that gave theirs back to finish (IStepSlot).
        private int _running;
        private int _finishing;
        private bool _stopping;

        public string? FirstFailure { get; private set; }

        public int FailedCount { get; private set; }

        public int SucceededCount { get; private set; }

        public int ReusedCount { get; private set; }

        /// <summary>Gets whether cancellation stopped a step or kept one from starting (a late signal changes nothing).</summary>
        public bool StoppedByCancellation { get; private set; }

        /// <summary>Runs every ready step to the end, at most <see cref="RunOptions.MaxParallel"/> at a time.</summary>
        /// <remarks>
        /// There is no loop of its own to hand steps to and back: a step runs on a lane, a thread-pool work item that,
        /// when its step ends, records the outcome under the lock, takes the next ready step itself and starts lanes
        /// for any others up to the limit. A chain of steps that finish synchronously runs on one thread with no
        /// hand-off between steps; on two cores a hand-off (queue, wake a thread, switch) costs more than a no-op step.
        /// The order, the limit and fail-fast are those of one loop: ready steps start in plan order, the bookkeeping
        /// runs under one lock, and nothing starts once a step failed for good or the run was cancelled.
        /// A step may give its place back before it ends (<see cref="IStepSlot"/>): a fresh lane then takes the next
        /// ready step, and the step's own lane goes on only if a place is free when it ends.
        /// </remarks>
        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            _cancel = cancellationToken;
            Prepare();
            lock (_gate)
            {
                _stopping = cancellationToken.IsCancellationRequested;
                int first = TakeReady();
                if (first < 0)
                {
                    _finished.TrySetResult();
                }
                else
                {
                    StartLane(new Lane(this), first);
                }
            }

            await _finished.Task.ConfigureAwait(false);
            Abandon(cancellationToken.IsCancellationRequested);
        }

        public Dictionary<string, StepStatus> FinalStatuses()
        {
            var result = new Dictionary<string, StepStatus>(_status.Length, StringComparer.Ordinal);
            for (int i = 0; i < _status.Length; i++)
            {
                result[_graph.Steps[i].Name] = _status[i];
            }

            return result;
        }

        private void Prepare()
        {
            foreach (PlannedStep planned in plan.Steps)
            {
                int i = planned.Position;
                // Looked up by name once here, not at every start and completion.
                IReadOnlyList<Artifact> stepInputs = planned.Step.Inputs;
                // A settled reuse is never dispatched nor completed, so it needs no producers (10,000 arrays in a no-op re-run).
                int[] producers = stepInputs.Count == 0 || settled[i] ? [] : new int[stepInputs.Count];
                for (int k = 0; k < producers.Length; k++)
                {
                    producers[k] = stepInputs[k].Source == ArtifactSource.Step ? _graph.IndexOf(stepInputs[k].Name) : -1;
                }

                _producers[i] = producers;
                _status[i] = planned.Decision == StepDecision.Skip ? StepStatus.Skipped : StepStatus.Pending;
                if (settled[i])
                {
                    // Recorded as reused when the run was created; steps after it find its artifact here.
                    _status[i] = StepStatus.Reused;
                    _refs[i] = planned.Decided!.Artifact;
                    ReusedCount++;
                }
            }

            foreach (PlannedStep planned in plan.Steps)
            {
                int i = planned.Position;
                if (_status[i] != StepStatus.Pending)
                {
                    continue;
                }

                // Order-only edges to steps left out of the run are already satisfied. Indexed loops: a foreach over
                // the graph's IReadOnlyList makes an enumerator object per step.
                IReadOnlyList<int> dependencies = _graph.DependenciesOf(i);
                for (int k = 0; k < dependencies.Count; k++)
                {
                    if (_status[dependencies[k]] == StepStatus.Pending)
                    {
                        _waitingOn[i]++;
                    }
                }

                foreach (Artifact input in planned.Step.InputArray)
                {
                    if (input.Source == ArtifactSource.Step)
                    {
                        _consumersLeft[_graph.IndexOf(input.Name)]++;
                    }
                }

                if (_waitingOn[i] == 0)
                {
                    _ready.Enqueue(i, planned.Order);
                }
            }
        }

        /// <summary>Takes the next ready step and marks it running, starting lanes for the others the limit allows; -1 if none may start.</summary>
        private int TakeReady()
        {
            int mine = -1;
            while (!_stopping && _running < options.MaxParallel && _ready.TryDequeue(out int next, out _))
            {
                _running++;
                _status[next] = StepStatus.Running;
                if (mine < 0)
                {
                    mine = next;
                }
                else
                {
                    StartLane(new Lane(this), next);
                }
            }

            return mine;
        }

        private void StartLane(Lane lane, int position)
        {
            // Only a lane that starts with a command: its thread will wait for the program, which the starter's threads
            // are for; any other step starts on the pool, whose spinning workers take a queued item sooner.
            if (_starter is { } starter && _graph.Steps[position].Command is not null)
            {
                starter.Start(() => _ = lane.RunAsync(position));
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(static start => _ = start.lane.RunAsync(start.position), (lane, position), preferLocal: false);
            }
        }

        /// <summary>Gives free places to steps waiting to try again, in the order they asked: they go before ready steps.</summary>
        private void GrantWaitingForSlot()
        {
            while (_running < options.MaxParallel && _waitingForSlot.TryDequeue(out Lane? lane))
            {
                if (lane.Waiting is { } waiting)
                {
                    lane.Waiting = null;
                    lane.Held = true;
                    _running++;
                    _finishing--;
                    waiting.TrySetResult();
                }
            }
        }

        private void ReleaseSlot(Lane lane)
        {
            lock (_gate)
            {
                // Bounded: no more steps finishing than may run, so storing outputs cannot fall behind without limit.
                if (!lane.Held || _finishing >= options.MaxParallel)
                {
                    return;
                }

                lane.Held = false;
                _running--;
                _finishing++;

                // The freed place goes to a step waiting to try again first, else to the next ready step on a new lane.
                GrantWaitingForSlot();
                int next = TakeReady();
                if (next >= 0)
                {
                    StartLane(new Lane(this), next);
                }
            }
        }

        private ValueTask AcquireSlotAsync(Lane lane, CancellationToken cancellationToken)
        {
            TaskCompletionSource waiting;
            lock (_gate)
            {
                if (lane.Held)
                {
                    return default;
                }

                // In the queue even when a place is free, behind steps that asked first; granted here if its turn is now.
                waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lane.Waiting = waiting;
                _waitingForSlot.Enqueue(lane);
                GrantWaitingForSlot();
                if (lane.Held)
                {
                    return default;
                }
            }

            return new ValueTask(WaitForSlotAsync(lane, waiting, cancellationToken));
        }

        private async Task WaitForSlotAsync(Lane lane, TaskCompletionSource waiting, CancellationToken cancellationToken)
        {
            // Cancelled while waiting: the lane leaves the queue (GrantWaitingForSlot skips it) and the step still holds no place.
            using CancellationTokenRegistration cancelled = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (run, lane, waiting) = ((RunState, Lane, TaskCompletionSource))state!;
                lock (run._gate)
                {
                    if (ReferenceEquals(lane.Waiting, waiting))
                    {
                        lane.Waiting = null;
                        waiting.TrySetCanceled(token);
                    }
                }
            }, (this, lane, waiting));
            await waiting.Task.ConfigureAwait(false);
        }

        /// <summary>Runs steps one after another, the first given and then whatever is ready when each ends, until none is.</summary>
        private async Task LaneAsync(Lane lane, int position)
        {
            try
            {
                while (position >= 0)
                {
                    Task<StepOutcome> task = Dispatch(lane, position);
                    StepOutcome outcome;
                    try
                    {
                        outcome = await task.ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        outcome = new StepOutcome(StepStatus.Failed, null, 0, TimeSpan.Zero, e.GetType().FullName, e.Message, "the step could not be started");
                    }

                    if (!LaneThreads.IsCurrent)
                    {
                        // Finished on a thread that is not ours to keep (a timer, a callback): the next step starts on
                        // the pool, as it would have after a hand-off.
                        await Task.Yield();
                    }

                    lock (_gate)
                    {
                        if (lane.Held)
                        {
                            _running--;
                        }
                        else
                        {
                            _finishing--;
                            lane.Held = true;
                        }

                        _stopping |= Complete(position, outcome) || _cancel.IsCancellationRequested;
                        GrantWaitingForSlot();
                        position = TakeReady();
                        if (position < 0 && _running == 0 && _finishing == 0)
                        {
                            _finished.TrySetResult();
                        }
                    }
                }
            }
            catch (Exception e)
            {
                // The bookkeeping itself failed: the run cannot go on, and the caller sees why.
                _finished.TrySetException(e);
            }
        }

        private Task<StepOutcome> Dispatch(Lane lane, int position)
        {
            try
            {
                if (options.Checkpointing is { } checkpointing)
                {
                    return StartWithCheckpointsAsync(lane, position, checkpointing, _cancel);
                }

                object?[] inputs;
                lock (_gate)
                {
                    inputs = ResolveLoadedInputs(position);
                }

                return dispatcher.DispatchAsync(new StepWork(runId, _graph.Steps[position], inputs) { Slot = lane }, _cancel);
            }
            catch (Exception e)
            {
                return Task.FromException<StepOutcome>(e);
            }
        }

        private object?[] ResolveLoadedInputs(int position)
        {
            StepDefinition step = _graph.Steps[position];
            int[] producers = _producers[position];
            var inputs = new object?[producers.Length];
            for (int k = 0; k < inputs.Length; k++)
            {
                Artifact input = step.Inputs[k];
                inputs[k] = input.Source switch
                {
                    ArtifactSource.Parameters => parameters[input.Name],
                    ArtifactSource.File or ArtifactSource.FileSet => FileInputs.Value(input, parameters, NoHashes),
                    _ => _values[producers[k]],
                };
            }

            return inputs;
        }

        /// <summary>Reuses the step's checkpoint when its fingerprint matches, else loads its inputs and dispatches it.</summary>
        private async Task<StepOutcome> StartWithCheckpointsAsync(Lane lane, int position, Checkpointing checkpointing, CancellationToken cancellationToken)
        {
            StepDefinition step = _graph.Steps[position];
            var inputRefs = new Dictionary<string, ArtifactRef>(StringComparer.Ordinal);
            foreach (Artifact input in step.Inputs.Where(i => i.Source == ArtifactSource.Step))
            {
                inputRefs[input.Name] = _refs[_graph.IndexOf(input.Name)]
                    ?? throw new InvalidOperationException($"The output of '{input.Name}' was not stored, so '{step.Name}' cannot be fingerprinted.");
            }

            PlannedStep planned = plan.ByPosition[position];
            // A reuse found while planning stands: its inputs are the planned reuses upstream, which the run reuses as planned.
            ReuseDecision decision = planned.Pinned is { } pinned
                ? await checkpointing.PinnedAsync(plan.Pipeline.Name, step, pinned, inputRefs, planned.Reason, cancellationToken).ConfigureAwait(false)
                : planned.Decided is { Reuse: true } decided ? decided
                : await checkpointing.DecideAsync(plan.Pipeline.Name, step, inputRefs, cancellationToken).ConfigureAwait(false);
            if (decision.Reuse)
            {
                string reason = (planned.NotSelected ? "not selected; " : "")
                    + await checkpointing.RepublishAsync(decision, cancellationToken).ConfigureAwait(false);
                journal.RecordOutput(runId, step.Name, decision.Artifact!.Value);
                journal.TransitionStep(runId, step.Name, StepStatus.Pending, StepStatus.Reused, reason);
                journal.Emit(new RunEvent(runId, journal.Now, RunEventKind.StepSkipped, step.Name, Reason: "reused: " + reason));
                return new StepOutcome(StepStatus.Reused, null, 0, TimeSpan.Zero, Reason: reason, Artifact: decision.Artifact);
            }

            var inputs = new object?[step.Inputs.Count];
            for (int k = 0; k < inputs.Length; k++)
            {
                Artifact input = step.Inputs[k];
                inputs[k] = input.Source switch
                {
                    ArtifactSource.Parameters => parameters[input.Name],
                    ArtifactSource.File or ArtifactSource.FileSet => FileInputs.Value(input, parameters, decision.Files),
                    _ => await ValueOfAsync(_graph.IndexOf(input.Name), checkpointing, cancellationToken).ConfigureAwait(false),
                };
            }

            return await dispatcher.DispatchAsync(new StepWork(runId, step, inputs, decision.Fingerprint) { Slot = lane }, cancellationToken).ConfigureAwait(false);
        }

        // A reused step's value is read from its artifact only when a step that runs needs it, once.
        private Task<object?> ValueOfAsync(int producer, Checkpointing checkpointing, CancellationToken cancellationToken)
        {
            lock (_loads)
            {
                if (_status[producer] == StepStatus.Succeeded)
                {
                    return Task.FromResult(_values[producer]);
                }

                if (!_loads.TryGetValue(producer, out Task<object?>? load))
                {
                    load = checkpointing.LoadAsync(_graph.Steps[producer], _refs[producer]!.Value, cancellationToken);
                    _loads[producer] = load;
                }

                return load;
            }
        }

        /// <summary>Records a finished step and releases its dependents; returns whether the run must stop starting steps.</summary>
        private bool Complete(int position, StepOutcome outcome)
        {
            _status[position] = outcome.Status;
            StepDefinition step = _graph.Steps[position];
            foreach (int producer in _producers[position])
            {
                if (producer >= 0)
                {
                    if (--_consumersLeft[producer] == 0)
                    {
                        // Nothing else reads it in this run: let large outputs be collected early.
                        lock (_loads)
                        {
                            _values[producer] = null;
                            _loads.Remove(producer);
                        }
                    }
                }
            }

            switch (outcome.Status)
            {
                case StepStatus.Succeeded or StepStatus.Reused:
                    if (outcome.Status == StepStatus.Reused)
                    {
                        ReusedCount++;
                    }
                    else
                    {
                        SucceededCount++;
                    }

                    _refs[position] = outcome.Artifact;
                    lock (_loads)
                    {
                        _values[position] = _consumersLeft[position] > 0 ? outcome.Value : null;
                    }

                    IReadOnlyList<int> dependents = _graph.DependentsOf(position);
                    for (int k = 0; k < dependents.Count; k++)
                    {
                        int d = dependents[k];
                        if (_status[d] == StepStatus.Pending && --_waitingOn[d] == 0)
                        {
                            _ready.Enqueue(d, plan.ByPosition[d].Order);
                        }
                    }

                    return false;
                case StepStatus.Failed:
                    FailedCount++;
                    FirstFailure ??= step.Name;
                    MarkDownstreamUpstreamFailed(position);
                    return !options.KeepGoing;
                default:
                    StoppedByCancellation |= outcome.Status == StepStatus.Cancelled;
                    return true;
            }
        }

        private void MarkDownstreamUpstreamFailed(int failed)
        {
            string failedName = _graph.Steps[failed].Name;
            foreach (int d in _graph.Downstream([failed]).Order())
            {
                if (d != failed && _status[d] == StepStatus.Pending)
                {
                    _status[d] = StepStatus.UpstreamFailed;
                    string reason = $"upstream step '{failedName}' failed";
                    string name = _graph.Steps[d].Name;
                    journal.TransitionStep(runId, name, StepStatus.Pending, StepStatus.UpstreamFailed, reason);
                    journal.Emit(new RunEvent(runId, journal.Now, RunEventKind.StepUpstreamFailed, name, Reason: reason));
                }
            }
        }

        /// <summary>A thread-pool work item running steps one after another, and the place among MaxParallel its current step holds.</summary>
        private sealed class Lane(RunState run) : IStepSlot
        {
            /// <summary>Gets or sets whether the current step holds a place (guarded by the run's lock).</summary>
            public bool Held { get; set; } = true;

            /// <summary>Gets or sets what completes when a place is given to a step waiting to try again (guarded by the run's lock).</summary>
            public TaskCompletionSource? Waiting { get; set; }

            public Task RunAsync(int position) => run.LaneAsync(this, position);

            public void Release() => run.ReleaseSlot(this);

            public ValueTask AcquireAsync(CancellationToken cancellationToken) => run.AcquireSlotAsync(this, cancellationToken);
        }

        private void Abandon(bool cancelled)
        {
            string reason = cancelled ? "run cancelled before the step started" : $"run stopped after '{FirstFailure}' failed (fail fast; use --keep-going to run other branches)";
            foreach (PlannedStep planned in plan.Steps)
            {
                if (_status[planned.Position] == StepStatus.Pending)
                {
                    StoppedByCancellation |= cancelled;
                    _status[planned.Position] = StepStatus.Cancelled;
                    journal.TransitionStep(runId, planned.Step.Name, StepStatus.Pending, StepStatus.Cancelled, reason);
                    journal.Emit(new RunEvent(runId, journal.Now, RunEventKind.StepCancelled, planned.Step.Name, Reason: reason));
                }
            }
        }
    }
}
