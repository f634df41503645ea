using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>Decides run, reuse or skip for every step, each with a reason.</summary>
public static class Planner
{
    /// <summary>Plans a run of <paramref name="graph"/> restricted to <paramref name="selection"/>.</summary>
    /// <exception cref="PipelineDefinitionException">A selected step name does not exist, or a selected step needs the output of one left out.</exception>
    /// <param name="graph">The pipeline's graph.</param>
    /// <param name="selection">Which steps to run.</param>
    /// <param name="inputsFromCheckpoints">Whether outputs of steps left out may come from checkpoints (resolved later by <see cref="Execution.Checkpointing.PlanAsync"/>); without, a selected step must take only selected steps' outputs.</param>
    public static ExecutionPlan Plan(PipelineGraph graph, StepSelection selection, bool inputsFromCheckpoints = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(selection);
        var problems = new List<string>();
        int[] only = Resolve(graph, selection.Only, "--only", problems);
        int[] from = Resolve(graph, selection.From, "--from", problems);
        int[] until = Resolve(graph, selection.Until, "--until", problems);
        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(graph.Pipeline.Name, problems);
        }

        HashSet<int>? onlySet = only.Length > 0 ? [.. only] : null;
        HashSet<int>? fromSet = from.Length > 0 ? graph.Downstream(from) : null;
        HashSet<int>? untilSet = until.Length > 0 ? graph.Upstream(until) : null;

        var planned = new List<PlannedStep>(graph.Order.Count);
        var selected = new bool[graph.Steps.Count];
        for (int order = 0; order < graph.Order.Count; order++)
        {
            StepDefinition step = graph.Order[order];
            int position = graph.IndexOf(step.Name);
            string? excludedBy =
                onlySet is not null && !onlySet.Contains(position) ? "not selected (--only)"
                : fromSet is not null && !fromSet.Contains(position) ? "not selected (not downstream of --from)"
                : untilSet is not null && !untilSet.Contains(position) ? "not selected (not upstream of --until)"
                : null;
            selected[position] = excludedBy is null;
            planned.Add(excludedBy is null
                ? new PlannedStep(step, position, order, StepDecision.Run, selection.IsAll ? "no checkpoint" : "selected")
                : new PlannedStep(step, position, order, StepDecision.Skip, excludedBy));
        }

        // Without checkpoints, a step can only take an input its own run produces.
        foreach (PlannedStep step in planned)
        {
            if (inputsFromCheckpoints || step.Decision != StepDecision.Run)
            {
                continue;
            }

            foreach (Artifact input in step.Step.InputArray)
            {
                if (input.Source == ArtifactSource.Step && !selected[graph.IndexOf(input.Name)])
                {
                    problems.Add(
                        $"Step '{step.Step.Name}' takes the output of '{input.Name}', which is not selected and has no checkpoint to reuse: select '{input.Name}' too (for example with --until {step.Step.Name}).");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(graph.Pipeline.Name, problems);
        }

        return new ExecutionPlan(graph, planned);
    }

    /// <summary>Turns step names given on the command line into graph positions, adding a did-you-mean problem for each unknown one.</summary>
    internal static int[] Resolve(PipelineGraph graph, IReadOnlyList<string> names, string option, List<string> problems)
    {
        var positions = new List<int>(names.Count);
        foreach (string name in names)
        {
            if (graph.Pipeline.TryGetStep(name, out _))
            {
                positions.Add(graph.IndexOf(name));
                continue;
            }

            string? guess = Spelling.Closest(name, graph.Steps.Select(s => s.Name));
            string hint = guess is null
                ? $"Known steps: {string.Join(", ", graph.Steps.Select(s => s.Name))}."
                : $"Did you mean '{guess}'?";
            problems.Add($"{option} names step '{name}', which does not exist. {hint}");
        }

        return [.. positions];
    }
}
