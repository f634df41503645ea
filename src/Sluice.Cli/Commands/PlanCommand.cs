using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Configuration;
using Sluice.Planning;

namespace Sluice.Cli.Commands;

/// <summary><c>plan</c>: prints each step's decision and reason without running anything.</summary>
internal static class PlanCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var selection = new SelectionOptions();
        var command = new Command("plan", "Show what a run would do: each step's decision (run, reuse, skip) and why. Runs nothing.");
        selection.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            ExecutionPlan plan = Prepare(context, paths, selection.Read(result));
            context.Out.Write(result.GetValue(json) ? Json(plan) : Text(plan));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Binds the parameters and plans; every definition, configuration and selection problem surfaces here, before anything is written.</summary>
    internal static ExecutionPlan Prepare(CommandContext context, ProjectPaths paths, StepSelection selection)
    {
        _ = BindParameters(context, paths);
        return Planner.Plan(context.Graph, selection);
    }

    internal static IReadOnlyDictionary<string, object> BindParameters(CommandContext context, ProjectPaths paths)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = ConfigurationLoader.Load(paths, context.Env.Variables);
        }
        catch (InvalidDataException e)
        {
            // The JSON provider names the file, line and position of a syntax error.
            throw new UsageException($"Configuration could not be read: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}");
        }

        return ParameterBinder.Bind(context.Pipeline, configuration);
    }

    internal static string Text(ExecutionPlan plan)
    {
        var table = new TextTable("step", "decision", "reason");
        foreach (PlannedStep step in plan.Steps)
        {
            table.Add(step.Step.Name, step.DecisionText, step.Reason);
        }

        return $"plan for pipeline {plan.Pipeline.Name}: {plan.RunCount} of {plan.Steps.Count} steps to run\n" + table.Render(indent: "  ");
    }

    private static string Json(ExecutionPlan plan)
    {
        return JsonRecords.Render(json =>
        {
        json.WriteStartObject();
        json.WriteString("pipeline", plan.Pipeline.Name);
        json.WriteStartArray("steps");
        foreach (PlannedStep step in plan.Steps)
        {
            json.WriteStartObject();
            json.WriteString("step", step.Step.Name);
            json.WriteString("decision", step.DecisionText);
            json.WriteString("reason", step.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        });
    }
}
