namespace Sluice.Execution;

/// <summary>How a run executes its plan.</summary>
public sealed class RunOptions
{
    /// <summary>Gets or sets how many steps may run at once; a command step counts until its program exits, and storing its outputs afterwards (at most as many steps again) does not count.</summary>
    /// <value>The default value is 1; the command line defaults it to the processor count.</value>
    public int MaxParallel { get; set; } = 1;

    /// <summary>Gets or sets whether branches not downstream of a failed step go on running.</summary>
    /// <value>The default value is <see langword="false"/> (fail fast).</value>
    public bool KeepGoing { get; set; }

    /// <summary>Gets or sets the source of jitter for retry delays, a value in [0, 1).</summary>
    /// <value>The default value is <see langword="null"/>: Polly's own random source.</value>
    public Func<double>? Jitter { get; set; }

    /// <summary>Gets or sets the project folder handed to steps as <see cref="StepContext.ProjectDirectory"/>.</summary>
    /// <value>The default value is ".", the current folder.</value>
    public string ProjectDirectory { get; set; } = ".";

    /// <summary>Gets or sets the checkpoint gate: when set, steps are reused by fingerprint and outputs are stored, checkpointed and published.</summary>
    /// <value>The default value is <see langword="null"/>: every selected step runs and outputs stay in memory.</value>
    public Checkpointing? Checkpointing { get; set; }

    /// <summary>Gets or sets the services class steps are resolved from.</summary>
    /// <value>The default value is an empty provider.</value>
    public IServiceProvider? Services { get; set; }

    /// <summary>Gets or sets the redactor applied to every message the run records or reports.</summary>
    /// <value>The default value is <see cref="Secrets.SecretRedactor.None"/>.</value>
    public Secrets.SecretRedactor Redactor { get; set; } = Secrets.SecretRedactor.None;

    /// <summary>Gets or sets the logger factory engine messages (Sluice.Telemetry.Log) and the steps' log lines go to, besides the run's own observers.</summary>
    /// <value>The default value is <see cref="Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance"/>: nothing is logged there, at no cost.</value>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Gets or sets where the run's alerts go: step-failed, run-failed, run-succeeded and those steps raise.</summary>
    /// <value>The default value is <see langword="null"/>: alerts are only written to the step's log.</value>
    public Alerts.IAlertPublisher? Alerts { get; set; }
}
