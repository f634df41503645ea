namespace Sluice.Execution;

/// <summary>Executes one step, with its retries and timeout, somewhere: in this process, or on a worker.</summary>
public interface IStepDispatcher
{
    /// <summary>Runs the step to its final outcome; never throws for a step failure.</summary>
    Task<StepOutcome> DispatchAsync(StepWork work, CancellationToken cancellationToken);
}
