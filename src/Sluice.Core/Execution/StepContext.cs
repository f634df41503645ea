using Microsoft.Extensions.Logging;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>What a running step can see: its run, attempt, cancellation, logger, services and clock.</summary>
public sealed class StepContext
{
    internal StepContext(RunId runId, string step, int attempt, ILogger logger, IServiceProvider services, TimeProvider time, CancellationToken cancellationToken)
    {
        RunId = runId;
        Step = step;
        Attempt = attempt;
        Logger = logger;
        Services = services;
        Time = time;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the run's id.</summary>
    public RunId RunId { get; }

    /// <summary>Gets the step's name.</summary>
    public string Step { get; }

    /// <summary>Gets the attempt number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Gets the logger whose lines go to <c>logs/&lt;run&gt;/&lt;step&gt;.log</c>.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets the application's services, for class steps and helpers.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the clock; use it instead of <see cref="DateTimeOffset"/>'s static members so tests can control time.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the token cancelled when the attempt times out or the run is cancelled.</summary>
    public CancellationToken CancellationToken { get; }
}
