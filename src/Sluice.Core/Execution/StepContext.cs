using Microsoft.Extensions.Logging;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>What a running step can see: its run, attempt, cancellation, logger, services and clock.</summary>
public sealed class StepContext
{
    internal StepContext(RunId runId, string step, int attempt, ILogger logger, IServiceProvider services, TimeProvider time, string projectDirectory, CancellationToken cancellationToken)
    {
        ProjectDirectory = projectDirectory;
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

    /// <summary>Gets the project folder that relative paths in settings are relative to.</summary>
    public string ProjectDirectory { get; }

    /// <summary>Returns <paramref name="relativePath"/> resolved against the project folder (absolute paths are returned as they are).</summary>
    public string PathTo(string relativePath) => System.IO.Path.Combine(ProjectDirectory, relativePath);

    /// <summary>Gets the step's way to raise alerts: <c>ctx.Alerts.Raise(AlertKind.DataQuality, "3 missing trading days: ...")</c>.</summary>
    public Alerts.StepAlerts Alerts { get; internal init; } = Sluice.Alerts.StepAlerts.None;

    /// <summary>Gets the token cancelled when the attempt times out or the run is cancelled.</summary>
    public CancellationToken CancellationToken { get; }
}
