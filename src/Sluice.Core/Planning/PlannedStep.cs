using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>One step of an <see cref="ExecutionPlan"/> with its decision and the reason for it.</summary>
/// <param name="Step">The step.</param>
/// <param name="Position">The step's position in the graph (declaration order).</param>
/// <param name="Order">The step's position in the plan's topological order.</param>
/// <param name="Decision">Run, reuse or skip.</param>
/// <param name="Reason">Why, in words a person reads in <c>plan</c> output and run records.</param>
public sealed record PlannedStep(StepDefinition Step, int Position, int Order, StepDecision Decision, string Reason)
{
    /// <summary>Gets whether the step was left out of the selection and is only reused because a selected step takes its output.</summary>
    public bool NotSelected { get; init; }

    /// <summary>Gets the exact artifact to reuse, pinned by <c>run --resume</c> to what the resumed run produced, even if newer versions exist.</summary>
    public Artifacts.ArtifactRef? Pinned { get; init; }

    /// <summary>Gets the reuse decision made while planning, so the run does not decide (hash files, check objects) again.</summary>
    public Execution.ReuseDecision? Decided { get; init; }

    /// <summary>Gets what a refined reason starts with, such as "failed in run 20261127-101500-3f9a" for a resumed step.</summary>
    public string? ReasonPrefix { get; init; }

    /// <summary>Gets the decision's lower-case name.</summary>
    public string DecisionText => Decision switch
    {
        StepDecision.Run => "run",
        StepDecision.Reuse => "reuse",
        _ => "skip",
    };
}
