using System.Text;
using Sluice.Definitions;
using Sluice.Planning;

namespace Sluice.Cli.Output;

/// <summary>Draws a pipeline's graph as text, Mermaid or Graphviz dot; data edges solid, order-only edges dashed.</summary>
internal static class GraphRenderer
{
    public static string Text(PipelineGraph graph)
    {
        var table = new TextTable("step", "after");
        foreach (StepDefinition step in graph.Order)
        {
            IEnumerable<string> data = step.Inputs.Select(i => i.Source == ArtifactSource.Step ? i.Name : $"[{i.Name}]");
            IEnumerable<string> order = step.After.Where(a => !step.Inputs.Any(i => i.Source == ArtifactSource.Step && i.Name == a)).Select(a => a + " (order only)");
            string deps = string.Join(", ", data.Concat(order).Distinct(StringComparer.Ordinal));
            table.Add(step.Name, deps.Length == 0 ? "-" : deps);
        }

        return $"pipeline {graph.Pipeline.Name}: {graph.Steps.Count} steps in topological order ([x] = parameters x)\n" + table.Render();
    }

    public static string Mermaid(PipelineGraph graph)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (StepDefinition step in graph.Order)
        {
            text.Append($"  {Id(step.Name)}[\"{step.Name}\"]\n");
        }

        foreach ((string from, string to, bool dataEdge) in Edges(graph))
        {
            text.Append($"  {Id(from)} {(dataEdge ? "-->" : "-.->")} {Id(to)}\n");
        }

        return text.ToString();
    }

    public static string Dot(PipelineGraph graph)
    {
        var text = new StringBuilder($"digraph \"{graph.Pipeline.Name}\" {{\n  rankdir=LR;\n  node [shape=box];\n");
        foreach (StepDefinition step in graph.Order)
        {
            text.Append($"  \"{step.Name}\";\n");
        }

        foreach ((string from, string to, bool dataEdge) in Edges(graph))
        {
            text.Append($"  \"{from}\" -> \"{to}\"{(dataEdge ? "" : " [style=dashed]")};\n");
        }

        return text.Append("}\n").ToString();
    }

    private static IEnumerable<(string From, string To, bool Data)> Edges(PipelineGraph graph)
    {
        foreach (StepDefinition step in graph.Order)
        {
            var data = step.Inputs.Where(i => i.Source == ArtifactSource.Step).Select(i => i.Name).Distinct(StringComparer.Ordinal).ToList();
            foreach (string producer in data)
            {
                yield return (producer, step.Name, true);
            }

            foreach (string before in step.After.Distinct(StringComparer.Ordinal).Where(a => !data.Contains(a)))
            {
                yield return (before, step.Name, false);
            }
        }
    }

    // Mermaid ids cannot contain '-' safely in every renderer.
    private static string Id(string name) => name.Replace('-', '_');
}
