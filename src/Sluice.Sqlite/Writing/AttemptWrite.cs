using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>The start of an attempt (<see cref="Ended"/> is <see langword="null"/>) or its completion; the writer may fold a start and its completion into one INSERT.</summary>
internal sealed class AttemptWrite : WriteCommand<bool>
{
    private AttemptWrite(RunId run, string step, int attempt, DateTimeOffset started, StepAttemptRecord? ended)
        : base(isMultiStatement: false)
    {
        Run = run;
        Step = step;
        Attempt = attempt;
        Started = started;
        Ended = ended;
    }

    public RunId Run { get; }

    public string Step { get; }

    public int Attempt { get; }

    public DateTimeOffset Started { get; }

    /// <summary>Gets how the attempt ended, for a completion; <see langword="null"/> for a start.</summary>
    public StepAttemptRecord? Ended { get; }

    /// <summary>Gets or sets the next write of the same attempt in the batch being committed; set by the coalescer only.</summary>
    public AttemptWrite? Following { get; set; }

    public override bool CanCoalesce => true;

    public static AttemptWrite Start(RunId run, string step, int attempt, DateTimeOffset at) => new(run, step, attempt, at, null);

    public static AttemptWrite Complete(StepAttemptRecord attempt) => new(attempt.RunId, attempt.Step, attempt.Attempt, attempt.StartedAt, attempt);

    public override void Apply(WriterStatements statements) => SetResult(Ended is { } ended
        ? statements.CompleteAttempt(ended)
        : statements.InsertAttempt(Run, Step, Attempt, Started, null));
}
