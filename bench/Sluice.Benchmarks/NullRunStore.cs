using Sluice.State;

namespace Sluice.Benchmarks;

/// <summary>A store that records nothing: isolates the coordinator's own cost from the store's.</summary>
internal sealed class NullRunStore : IRunStore
{
    private static readonly Task<bool> Won = Task.FromResult(true);

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> TryTransitionRunAsync(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) => Won;

    public Task<bool> TryTransitionStepAsync(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) => Won;

    public Task<bool> TryStartAttemptAsync(RunId run, string step, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default) => Won;

    public Task<bool> TryCompleteAttemptAsync(StepAttemptRecord attempt, CancellationToken cancellationToken = default) => Won;

    public Task RecordStepOutputAsync(RunId run, string step, string artifactHash, long artifactSize, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task AppendEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<RunId>> MarkInterruptedAsync(Func<RunRecord, bool> isOrphaned, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<RunId>>([]);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<RunRecord>>([]);

    public Task<RunRecord?> GetRunAsync(RunId run, CancellationToken cancellationToken = default) => Task.FromResult<RunRecord?>(null);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(RunId run, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StepRecord>>([]);

    public Task<IReadOnlyList<StepAttemptRecord>> GetAttemptsAsync(RunId run, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StepAttemptRecord>>([]);

    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(RunId run, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<RunEvent>>([]);

    public ValueTask DisposeAsync() => default;
}
