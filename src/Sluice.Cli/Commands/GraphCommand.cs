using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Definitions;

namespace Sluice.Cli.Commands;

/// <summary><c>graph</c>: draws the pipeline's DAG as text, Mermaid or Graphviz dot.</summary>
internal static class GraphCommand
{
    public static Command Create(CommandContext context, Option<bool> json)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text, mermaid or dot.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "mermaid", "dot");
        var command = new Command("graph", "Draw the pipeline's steps and their dependencies.");
        command.Options.Add(format);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) =>
        {
            string text = result.GetValue(json) ? Json(context) : result.GetValue(format) switch
            {
                "mermaid" => GraphRenderer.Mermaid(context.Graph),
                "dot" => GraphRenderer.Dot(context.Graph),
                _ => GraphRenderer.Text(context.Graph),
            };
            context.Out.Write(text);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string Json(CommandContext context)
    {
        return JsonRecords.Render(json =>
        {
        json.WriteStartObject();
        json.WriteString("pipeline", context.Pipeline.Name);
        json.WriteStartArray("steps");
        foreach (StepDefinition step in context.Graph.Order)
        {
            json.WriteStartObject();
            json.WriteString("step", step.Name);
            json.WriteString("version", step.Version);
            json.WriteStartArray("inputs");
            foreach (Artifact input in step.Inputs)
            {
                json.WriteStringValue(input.Source switch { ArtifactSource.Step => input.Name, ArtifactSource.File => "file:" + input.Name, ArtifactSource.FileSet => "files:" + input.Name, _ => "parameters:" + input.Name });
            }

            json.WriteEndArray();
            json.WriteStartArray("after");
            foreach (string after in step.After)
            {
                json.WriteStringValue(after);
            }

            json.WriteEndArray();
            if (step.PublishPath is not null)
            {
                json.WriteString("publish", step.PublishPath);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        });
    }
}
