using Sluice.Execution;
using Sluice.State;

namespace Sluice.Telemetry;

/// <summary>The in-memory run store with a metrics summary: counts the summary writes so a test can check it is one batch per run.</summary>
internal sealed class SummaryKeepingStore : IRunStore, IRunMetricsStore
{
    private readonly InMemoryRunStore _inner = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<RunId, List<RunMeasurement>> _measurements = [];

    public int SummaryWrites { get; private set; }

    public InMemoryRunStore Inner => _inner;

    public Task RecordMeasurementsAsync(RunId run, IReadOnlyList<RunMeasurement> measurements, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            SummaryWrites++;
            _measurements[run] = [.. measurements];
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunMeasurement>> GetMeasurementsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RunMeasurement>>(_measurements.TryGetValue(run, out List<RunMeasurement>? found) ? [.. found] : []);
        }
    }

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default) => _inner.CreateRunAsync(run, steps, cancellationToken);

    public Task<bool> TryTransitionRunAsync(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) =>
        _inner.TryTransitionRunAsync(run, expected, next, at, reason, cancellationToken);

    public Task<bool> TryTransitionStepAsync(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) =>
        _inner.TryTransitionStepAsync(run, step, expected, next, at, reason, cancellationToken);

    public Task<bool> TryStartAttemptAsync(RunId run, string step, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _inner.TryStartAttemptAsync(run, step, attempt, at, cancellationToken);

    public Task<bool> TryCompleteAttemptAsync(StepAttemptRecord attempt, CancellationToken cancellationToken = default) => _inner.TryCompleteAttemptAsync(attempt, cancellationToken);

    public Task RecordStepOutputAsync(RunId run, string step, string artifactHash, long artifactSize, CancellationToken cancellationToken = default) =>
        _inner.RecordStepOutputAsync(run, step, artifactHash, artifactSize, cancellationToken);

    public Task AppendEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default) => _inner.AppendEventAsync(runEvent, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public Task<IReadOnlyList<RunId>> MarkInterruptedAsync(Func<RunRecord, bool> isOrphaned, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _inner.MarkInterruptedAsync(isOrphaned, at, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken = default) => _inner.ListRunsAsync(limit, cancellationToken);

    public Task<RunRecord?> GetRunAsync(RunId run, CancellationToken cancellationToken = default) => _inner.GetRunAsync(run, cancellationToken);

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(RunId run, CancellationToken cancellationToken = default) => _inner.GetStepsAsync(run, cancellationToken);

    public Task<IReadOnlyList<StepAttemptRecord>> GetAttemptsAsync(RunId run, CancellationToken cancellationToken = default) => _inner.GetAttemptsAsync(run, cancellationToken);

    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(RunId run, CancellationToken cancellationToken = default) => _inner.GetEventsAsync(run, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
