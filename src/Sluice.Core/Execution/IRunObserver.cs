using Microsoft.Extensions.Logging;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Receives a run's events as they happen (console, JSON-lines log, metrics).</summary>
/// <remarks>An observer that throws is ignored for the rest of the event: a failing sink never fails a run.</remarks>
public interface IRunObserver
{
    /// <summary>Handles one event; called from the coordinator, so it must be quick.</summary>
    void OnEvent(RunEvent runEvent);

    /// <summary>Returns the logger one attempt of a step writes to.</summary>
    ILogger CreateStepLogger(RunId run, string step, int attempt);
}
