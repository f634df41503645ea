using Sluice.State;

namespace Sluice.Execution;

/// <summary>The end of a run: its status and each step's final state.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="Steps">Each step's final status, by name.</param>
/// <param name="Duration">The run's wall time.</param>
/// <param name="Reason">Why the run ended as it did.</param>
public sealed record RunResult(RunId RunId, RunStatus Status, IReadOnlyDictionary<string, StepStatus> Steps, TimeSpan Duration, string Reason);
