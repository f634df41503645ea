using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>A step's compare-and-set from <see cref="Expected"/> to <see cref="Next"/>; the writer may fold a chain of them into one UPDATE.</summary>
internal sealed class StepTransitionWrite(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason)
    : WriteCommand<bool>(isMultiStatement: false)
{
    public RunId Run => run;

    public string Step => step;

    public StepStatus Expected => expected;

    public StepStatus Next => next;

    public DateTimeOffset At => at;

    public string? Reason => reason;

    /// <summary>Gets or sets the next transition of the same step in the batch being committed; set by the coalescer only.</summary>
    public StepTransitionWrite? Following { get; set; }

    public override bool CanCoalesce => true;

    public override void Apply(WriterStatements statements) => SetResult(statements.TransitionStep(run, step, expected, next, at, reason));
}
