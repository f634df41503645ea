namespace Sluice.Execution;

/// <summary>Runs steps on this process's thread pool.</summary>
internal sealed class LocalStepDispatcher(StepRunner runner) : IStepDispatcher
{
    public Task<StepOutcome> DispatchAsync(StepWork work, CancellationToken cancellationToken) =>
        // Called on one of the coordinator's lanes, a thread-pool thread that has nothing else to do until the step
        // ends: running it right here saves a hand-off per step.
        runner.RunAsync(work, cancellationToken);
}
