using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>The planner's decision for every step of a pipeline, in topological order.</summary>
public sealed class ExecutionPlan
{
    internal ExecutionPlan(PipelineGraph graph, IReadOnlyList<PlannedStep> steps)
    {
        Graph = graph;
        Steps = steps;
        ByPosition = new PlannedStep[steps.Count];
        foreach (PlannedStep step in steps)
        {
            ByPosition[step.Position] = step;
        }
    }

    /// <summary>Gets the graph planned over.</summary>
    public PipelineGraph Graph { get; }

    /// <summary>Gets the pipeline planned.</summary>
    public Pipeline Pipeline => Graph.Pipeline;

    /// <summary>Gets every step in topological order with its decision.</summary>
    public IReadOnlyList<PlannedStep> Steps { get; }

    /// <summary>Gets the planned steps indexed by graph position.</summary>
    internal PlannedStep[] ByPosition { get; }

    /// <summary>Gets how many steps will execute.</summary>
    public int RunCount => Steps.Count(s => s.Decision == StepDecision.Run);
}
