namespace Sluice.Execution;

/// <summary>Runs steps on this process's thread pool.</summary>
internal sealed class LocalStepDispatcher(StepRunner runner) : IStepDispatcher
{
    public Task<StepOutcome> DispatchAsync(StepWork work, CancellationToken cancellationToken) =>
        // Task.Run keeps a step's synchronous work off the coordinator's loop.
        Task.Run(() => runner.RunAsync(work, cancellationToken), CancellationToken.None);
}
