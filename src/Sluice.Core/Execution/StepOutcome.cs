using Sluice.State;

namespace Sluice.Execution;

/// <summary>How a step ended in a run: a recorded outcome, never an exception thrown through the coordinator.</summary>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="Value">The output, when it succeeded.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="Duration">Time from the first attempt's start to the end, retry delays included.</param>
/// <param name="ErrorType">The last exception's type name, when it failed.</param>
/// <param name="ErrorMessage">The last exception's message, when it failed.</param>
/// <param name="Reason">Why it ended so, in words.</param>
/// <param name="Artifact">The stored output, when checkpointing is on and the step succeeded or was reused.</param>
public sealed record StepOutcome(
    StepStatus Status,
    object? Value,
    int Attempts,
    TimeSpan Duration,
    string? ErrorType = null,
    string? ErrorMessage = null,
    string? Reason = null,
    Artifacts.ArtifactRef? Artifact = null);
