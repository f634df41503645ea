using Sluice.Definitions;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>One step handed to a dispatcher: what to run, on which inputs, in which run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step.</param>
/// <param name="Inputs">The input values, in the order the step's delegate takes them.</param>
/// <param name="Fingerprint">The step's fingerprint when checkpointing is on: its output is committed under it.</param>
public sealed record StepWork(RunId RunId, StepDefinition Step, object?[] Inputs, Planning.Fingerprint? Fingerprint = null)
{
    /// <summary>Gets the step's place among the run's parallel steps, when the dispatcher runs it in this process.</summary>
    internal IStepSlot? Slot { get; init; }
}
