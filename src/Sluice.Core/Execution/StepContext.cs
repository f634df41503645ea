using Microsoft.Extensions.Logging;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>What a running step can see: its run, attempt, cancellation, logger, services and clock.</summary>
public sealed class StepContext
{
    private static readonly AsyncLocal<StepContext?> Running = new();

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

    /// <summary>Gets the step attempt running on the current logical thread (and the tasks it starts), or null outside a step; set by the engine around each attempt, like <c>Activity.Current</c>.</summary>
    /// <remarks>The host uses it to send what a step writes to <c>Console.Out</c> and <c>Console.Error</c> to that step's log.</remarks>
    public static StepContext? Current
    {
        get => Running.Value;
        internal set => Running.Value = value;
    }

    /// <summary>Gets the run's id.</summary>
    public RunId RunId { get; }

    /// <summary>Gets the step's name.</summary>
    public string Step { get; }

    /// <summary>Gets the attempt number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Gets the logger whose lines go to <c>logs/&lt;run&gt;/&lt;step&gt;.log</c>.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets where the step records its own measurements (<c>ctx.Metrics.Record("rows_ingested", 5105)</c>): kept with the run, exported, shown by <c>show</c>.</summary>
    public Telemetry.StepMetrics Metrics { get; init; } = Telemetry.StepMetrics.None;

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

    /// <summary>Gets the step's place among the run's parallel steps, which a command step gives back when its program exits; null when the step runs elsewhere.</summary>
    internal IStepSlot? Slot { get; init; }

    /// <summary>Gets the token cancelled when the attempt times out or the run is cancelled.</summary>
    public CancellationToken CancellationToken { get; }
}
