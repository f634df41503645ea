namespace Sluice.Planning;

/// <summary>What the planner decided for a step.</summary>
public enum StepDecision
{
    /// <summary>Execute the step.</summary>
    Run,

    /// <summary>Use the step's result from an earlier run.</summary>
    Reuse,

    /// <summary>Leave the step out of this run.</summary>
    Skip,
}
