namespace Sluice.State;

/// <summary>The state of a run.</summary>
public enum RunStatus
{
    /// <summary>Created, not started.</summary>
    Pending,

    /// <summary>Steps are being executed.</summary>
    Running,

    /// <summary>Every selected step succeeded or was reused.</summary>
    Succeeded,

    /// <summary>At least one step failed for good.</summary>
    Failed,

    /// <summary>Stopped on request (Ctrl-C, SIGTERM).</summary>
    Cancelled,

    /// <summary>The process died while the run was in progress; found and marked by a later run.</summary>
    Interrupted,
}

/// <summary>The state of one step within a run.</summary>
public enum StepStatus
{
    /// <summary>Planned to run, waiting for its dependencies.</summary>
    Pending,

    /// <summary>An attempt is in progress.</summary>
    Running,

    /// <summary>Finished with an output.</summary>
    Succeeded,

    /// <summary>Failed after its last attempt.</summary>
    Failed,

    /// <summary>Its result from an earlier run was reused.</summary>
    Reused,

    /// <summary>Not selected for this run.</summary>
    Skipped,

    /// <summary>Not run because a step it depends on failed.</summary>
    UpstreamFailed,

    /// <summary>Not run, or stopped, because the run was cancelled or failed fast.</summary>
    Cancelled,

    /// <summary>The process died while the step was running.</summary>
    Interrupted,
}

/// <summary>How one attempt of a step ended.</summary>
public enum AttemptOutcome
{
    /// <summary>Still running (or its process died; see <see cref="Interrupted"/>).</summary>
    Running,

    /// <summary>Produced the step's output.</summary>
    Succeeded,

    /// <summary>Threw an exception.</summary>
    Failed,

    /// <summary>Ran past the step's timeout.</summary>
    TimedOut,

    /// <summary>Stopped because the run was cancelled.</summary>
    Cancelled,

    /// <summary>The process died during the attempt.</summary>
    Interrupted,
}

/// <summary>Helpers on statuses.</summary>
public static class StatusExtensions
{
    /// <summary>Returns whether a run in this state will change no more.</summary>
    public static bool IsFinal(this RunStatus status) => status is not (RunStatus.Pending or RunStatus.Running);

    /// <summary>Returns whether a step in this state will change no more in its run.</summary>
    public static bool IsFinal(this StepStatus status) => status is not (StepStatus.Pending or StepStatus.Running);

    /// <summary>Returns the lower-case name used in files and on the console.</summary>
    public static string ToText(this RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Interrupted => "interrupted",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>Returns the lower-case name used in files and on the console.</summary>
    public static string ToText(this StepStatus status) => status switch
    {
        StepStatus.UpstreamFailed => "upstream-failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>Returns the lower-case name used in files and on the console.</summary>
    public static string ToText(this AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.TimedOut => "timed-out",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
