using Sluice.State;

namespace Sluice.Execution;

/// <summary>
/// A run store in memory, for testing the coordinator's logic rather than persistence.
/// Every write is applied at once under one lock, so call order is apply order, and every
/// state change is a compare-and-set exactly as <see cref="IRunStore"/> documents it.
/// </summary>
internal sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RunId, RunRecord> _runs = [];
    private readonly Dictionary<RunId, List<StepRecord>> _steps = [];
    private readonly Dictionary<RunId, List<StepAttemptRecord>> _attempts = [];
    private readonly Dictionary<RunId, List<RunEvent>> _events = [];

    /// <summary>Gets the number of compare-and-set calls that found another state than expected.</summary>
    public int LostTransitions { get; private set; }

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // A real store's primary key refuses a second run with the same id.
            if (_runs.ContainsKey(run.Id))
            {
                throw new InvalidOperationException($"Run {run.Id} already exists.");
            }

            _runs[run.Id] = run;
            _steps[run.Id] = [.. steps];
            _attempts[run.Id] = [];
            _events[run.Id] = [];
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryTransitionRunAsync(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(run, out RunRecord? record) || record.Status != expected)
            {
                LostTransitions++;
                return Task.FromResult(false);
            }

            _runs[run] = record with
            {
                Status = next,
                EndedAt = next.IsFinal() ? at : record.EndedAt,
                Reason = reason ?? record.Reason,
            };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryTransitionStepAsync(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            List<StepRecord>? steps = _steps.GetValueOrDefault(run);
            int i = steps?.FindIndex(s => s.Step == step) ?? -1;
            if (steps is null || i < 0 || steps[i].Status != expected)
            {
                LostTransitions++;
                return Task.FromResult(false);
            }

            StepRecord record = steps[i];
            steps[i] = record with
            {
                Status = next,
                StartedAt = next == StepStatus.Running ? record.StartedAt ?? at : record.StartedAt,
                EndedAt = next.IsFinal() ? at : record.EndedAt,
                Reason = reason ?? record.Reason,
            };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryStartAttemptAsync(RunId run, string step, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            List<StepRecord>? steps = _steps.GetValueOrDefault(run);
            int i = steps?.FindIndex(s => s.Step == step) ?? -1;
            List<StepAttemptRecord> attempts = _attempts[run];
            if (steps is null || i < 0 || attempts.Any(a => a.Step == step && a.Attempt == attempt))
            {
                LostTransitions++;
                return Task.FromResult(false);
            }

            attempts.Add(new StepAttemptRecord(run, step, attempt, at, null, AttemptOutcome.Running, null, null, null));
            steps[i] = steps[i] with { Attempts = Math.Max(steps[i].Attempts, attempt) };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryCompleteAttemptAsync(StepAttemptRecord attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        lock (_gate)
        {
            List<StepAttemptRecord>? attempts = _attempts.GetValueOrDefault(attempt.RunId);
            int i = attempts?.FindIndex(a => a.Step == attempt.Step && a.Attempt == attempt.Attempt) ?? -1;
            if (attempts is null || i < 0 || attempts[i].Outcome != AttemptOutcome.Running)
            {
                LostTransitions++;
                return Task.FromResult(false);
            }

            attempts[i] = attempt;
            return Task.FromResult(true);
        }
    }

    public Task RecordStepOutputAsync(RunId run, string step, string artifactHash, long artifactSize, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            List<StepRecord> steps = _steps[run];
            int i = steps.FindIndex(s => s.Step == step);
            steps[i] = steps[i] with { ArtifactHash = artifactHash, ArtifactSize = artifactSize };
        }

        return Task.CompletedTask;
    }

    public Task AppendEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        lock (_gate)
        {
            _events[runEvent.RunId].Add(runEvent);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<RunId>> MarkInterruptedAsync(Func<RunRecord, bool> isOrphaned, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isOrphaned);
        lock (_gate)
        {
            var marked = new List<RunId>();
            foreach (RunRecord run in _runs.Values.Where(r => !r.Status.IsFinal() && isOrphaned(r)).ToList())
            {
                _runs[run.Id] = run with { Status = RunStatus.Interrupted, EndedAt = at, Reason = "interrupted" };
                List<StepRecord> steps = _steps[run.Id];
                for (int i = 0; i < steps.Count; i++)
                {
                    if (steps[i].Status == StepStatus.Running)
                    {
                        steps[i] = steps[i] with { Status = StepStatus.Interrupted, EndedAt = at };
                    }
                }

                List<StepAttemptRecord> attempts = _attempts[run.Id];
                for (int i = 0; i < attempts.Count; i++)
                {
                    if (attempts[i].Outcome == AttemptOutcome.Running)
                    {
                        attempts[i] = attempts[i] with { Outcome = AttemptOutcome.Interrupted, EndedAt = at };
                    }
                }

                marked.Add(run.Id);
            }

            return Task.FromResult<IReadOnlyList<RunId>>(marked);
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Values.OrderByDescending(r => r.Id).Take(limit)]);
        }
    }

    public Task<RunRecord?> GetRunAsync(RunId run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(run));
        }
    }

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StepRecord>>([.. _steps.GetValueOrDefault(run, []).OrderBy(s => s.Order)]);
        }
    }

    public Task<IReadOnlyList<StepAttemptRecord>> GetAttemptsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Dictionary<string, int> order = _steps.GetValueOrDefault(run, []).ToDictionary(s => s.Step, s => s.Order);
            return Task.FromResult<IReadOnlyList<StepAttemptRecord>>(
                [.. _attempts.GetValueOrDefault(run, []).OrderBy(a => order[a.Step]).ThenBy(a => a.Attempt)]);
        }
    }

    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RunEvent>>([.. _events.GetValueOrDefault(run, [])]);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
