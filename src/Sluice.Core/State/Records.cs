namespace Sluice.State;

/// <summary>One run of a pipeline as the run store keeps it.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Status">The run's state.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="EndedAt">When the run reached a final state.</param>
/// <param name="Arguments">The command line that started it, for the record.</param>
/// <param name="Host">The machine that ran it.</param>
/// <param name="ProcessId">The process that ran it.</param>
/// <param name="Reason">Why it ended as it did, if not plain success.</param>
/// <param name="ResumedFrom">The run this one resumes, if any.</param>
public sealed record RunRecord(
    RunId Id,
    string Pipeline,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    string Arguments,
    string Host,
    int ProcessId,
    string? Reason,
    RunId? ResumedFrom = null);

/// <summary>One step within a run: its planned decision and where it got to.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step's name.</param>
/// <param name="Order">The step's position in the run's topological order.</param>
/// <param name="Status">The step's state.</param>
/// <param name="Decision">The planner's decision: run, reuse or skip.</param>
/// <param name="Reason">Why the planner decided so, or why the step ended as it did.</param>
/// <param name="Attempts">How many attempts have started.</param>
/// <param name="StartedAt">When its first attempt started.</param>
/// <param name="EndedAt">When it reached a final state.</param>
/// <param name="ArtifactHash">The content hash of the output it produced or reused in this run, when checkpointing is on.</param>
/// <param name="ArtifactSize">That output's size in bytes.</param>
public sealed record StepRecord(
    RunId RunId,
    string Step,
    int Order,
    StepStatus Status,
    string Decision,
    string Reason,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? ArtifactHash = null,
    long? ArtifactSize = null);

/// <summary>One attempt of one step.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step's name.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="StartedAt">When the attempt started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ErrorType">The exception's type name, if it failed.</param>
/// <param name="ErrorMessage">The exception's message, if it failed.</param>
/// <param name="Reason">Why it ended so, in words (for example "not transient: DataValidationException").</param>
public sealed record StepAttemptRecord(
    RunId RunId,
    string Step,
    int Attempt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    AttemptOutcome Outcome,
    string? ErrorType,
    string? ErrorMessage,
    string? Reason);
