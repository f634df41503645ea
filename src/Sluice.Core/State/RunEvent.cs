namespace Sluice.State;

/// <summary>One thing that happened in a run; the append-only history behind logs and the console.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Step">The step, for step events.</param>
/// <param name="Attempt">The attempt, for attempt events.</param>
/// <param name="Duration">How long the step, attempt or run took, where it ended.</param>
/// <param name="ErrorType">The exception's type name, for failures.</param>
/// <param name="ErrorMessage">The exception's message, for failures.</param>
/// <param name="Reason">Why, in words: the plan's reason, the retry delay, the failure's classification.</param>
public sealed record RunEvent(
    RunId RunId,
    DateTimeOffset At,
    RunEventKind Kind,
    string? Step = null,
    int? Attempt = null,
    TimeSpan? Duration = null,
    string? ErrorType = null,
    string? ErrorMessage = null,
    string? Reason = null);

/// <summary>The kinds of <see cref="RunEvent"/>; their text forms (<c>step.started</c>) are a stable file format.</summary>
public enum RunEventKind
{
    /// <summary>The run started.</summary>
    RunStarted,

    /// <summary>An attempt of a step started.</summary>
    StepStarted,

    /// <summary>A step finished with an output.</summary>
    StepSucceeded,

    /// <summary>An attempt failed and another will follow after a delay.</summary>
    StepRetrying,

    /// <summary>A step failed for good.</summary>
    StepFailed,

    /// <summary>A step was not run: not selected, or its result was reused.</summary>
    StepSkipped,

    /// <summary>A step was not run because a step it depends on failed.</summary>
    StepUpstreamFailed,

    /// <summary>A step was stopped or never started because the run was cancelled or failed fast.</summary>
    StepCancelled,

    /// <summary>The run succeeded.</summary>
    RunSucceeded,

    /// <summary>The run failed.</summary>
    RunFailed,

    /// <summary>The run was cancelled.</summary>
    RunCancelled,
}

/// <summary>Text forms of event kinds.</summary>
public static class RunEventKindText
{
    /// <summary>Returns the stable dotted name, such as <c>step.retrying</c>.</summary>
    public static string ToText(this RunEventKind kind) => kind switch
    {
        RunEventKind.RunStarted => "run.started",
        RunEventKind.StepStarted => "step.started",
        RunEventKind.StepSucceeded => "step.succeeded",
        RunEventKind.StepRetrying => "step.retrying",
        RunEventKind.StepFailed => "step.failed",
        RunEventKind.StepSkipped => "step.skipped",
        RunEventKind.StepUpstreamFailed => "step.upstream-failed",
        RunEventKind.StepCancelled => "step.cancelled",
        RunEventKind.RunSucceeded => "run.succeeded",
        RunEventKind.RunFailed => "run.failed",
        RunEventKind.RunCancelled => "run.cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a dotted name back.</summary>
    public static RunEventKind Parse(string text) =>
        Enum.GetValues<RunEventKind>().FirstOrDefault(k => k.ToText() == text, (RunEventKind)(-1)) is var k && (int)k >= 0
            ? k
            : throw new FormatException($"Unknown run event kind '{text}'.");
}
