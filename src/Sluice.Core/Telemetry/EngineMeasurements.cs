namespace Sluice.Telemetry;

/// <summary>The names of the figures Sluice stores about every run (<see cref="State.MeasurementSource.Engine"/>), a stable contract.</summary>
public static class EngineMeasurements
{
    /// <summary>The run's wall time, seconds.</summary>
    public const string RunDuration = "run.duration";

    /// <summary>Steps that started at least one attempt.</summary>
    public const string StepsRun = "steps.run";

    /// <summary>Steps that succeeded.</summary>
    public const string StepsSucceeded = "steps.succeeded";

    /// <summary>Steps whose checkpoint was reused.</summary>
    public const string StepsReused = "steps.reused";

    /// <summary>Steps that failed for good.</summary>
    public const string StepsFailed = "steps.failed";

    /// <summary>Steps not selected.</summary>
    public const string StepsSkipped = "steps.skipped";

    /// <summary>Steps not run because a step they depend on failed.</summary>
    public const string StepsUpstreamFailed = "steps.upstream_failed";

    /// <summary>Steps stopped or never started because the run was cancelled or failed fast.</summary>
    public const string StepsCancelled = "steps.cancelled";

    /// <summary>Attempts of all steps.</summary>
    public const string Attempts = "attempts";

    /// <summary>Retries: attempts after the first.</summary>
    public const string Retries = "retries";

    /// <summary>Artifact bytes the run's steps stored.</summary>
    public const string BytesWritten = "artifacts.bytes_written";

    /// <summary>Artifact bytes the run's steps published under their names.</summary>
    public const string BytesPublished = "artifacts.bytes_published";
}
