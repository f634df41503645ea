namespace Sluice.State;

/// <summary>Keeps runs, steps, attempts and events durably; every state change is compare-and-set.</summary>
/// <remarks>
/// Writes may be grouped: an implementation may commit several calls in one transaction, and the
/// returned task completes when the call's change is durable. Callers may issue writes without
/// awaiting each one; the store applies them in call order, so what it holds is always a prefix of
/// what was written.
/// </remarks>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Creates a run with its planned steps in one transaction; a step's <see cref="StepRecord.Attempts"/> is counted from its attempts, so the value given here is not kept.</summary>
    /// <remarks>A step may be created in its final state with its artifact (a reuse settled while planning), so a no-op re-run costs one row per step.</remarks>
    Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default);

    /// <summary>Moves a run from <paramref name="expected"/> to <paramref name="next"/>; returns whether it was in <paramref name="expected"/>.</summary>
    Task<bool> TryTransitionRunAsync(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Moves a step from <paramref name="expected"/> to <paramref name="next"/>; returns whether it was in <paramref name="expected"/>.</summary>
    Task<bool> TryTransitionStepAsync(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Records a new attempt as running; returns <see langword="false"/> if that attempt number already exists (a duplicate start).</summary>
    Task<bool> TryStartAttemptAsync(RunId run, string step, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records how a running attempt ended; returns <see langword="false"/> if it was not running (a late or duplicate completion).</summary>
    Task<bool> TryCompleteAttemptAsync(StepAttemptRecord attempt, CancellationToken cancellationToken = default);

    /// <summary>Records which artifact a step produced or reused in a run, so the run can be resumed with exactly those versions.</summary>
    Task RecordStepOutputAsync(RunId run, string step, string artifactHash, long artifactSize, CancellationToken cancellationToken = default);

    /// <summary>Appends an event to the run's history.</summary>
    Task AppendEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default);

    /// <summary>Appends an event like <see cref="AppendEventAsync"/> without a task to wait on: it is durable once a later <see cref="FlushAsync"/> completes, which fails if the store did.</summary>
    /// <remarks>For callers that never look at each append's task (the run journal); a store can then skip making one per event.</remarks>
    void PostEvent(RunEvent runEvent) => _ = AppendEventAsync(runEvent);

    /// <summary>Appends events in order as one write; a store that cannot batch appends them one by one.</summary>
    Task AppendEventsAsync(IReadOnlyList<RunEvent> runEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvents);
        var writes = new Task[runEvents.Count];
        for (int i = 0; i < writes.Length; i++)
        {
            writes[i] = AppendEventAsync(runEvents[i], cancellationToken);
        }

        return Task.WhenAll(writes);
    }

    /// <summary>Completes when every write issued so far is durable.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks runs, steps and attempts left running by a process that is gone as interrupted; returns the runs marked.</summary>
    Task<IReadOnlyList<RunId>> MarkInterruptedAsync(Func<RunRecord, bool> isOrphaned, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Gets a run by id, or <see langword="null"/>.</summary>
    Task<RunRecord?> GetRunAsync(RunId run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run's steps in their planned order.</summary>
    Task<IReadOnlyList<StepRecord>> GetStepsAsync(RunId run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run's attempts, by step order then attempt number.</summary>
    Task<IReadOnlyList<StepAttemptRecord>> GetAttemptsAsync(RunId run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run's events in the order they were appended.</summary>
    Task<IReadOnlyList<RunEvent>> GetEventsAsync(RunId run, CancellationToken cancellationToken = default);
}
