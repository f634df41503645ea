using System.CommandLine;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
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
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            _ = Task.Run(Fingerprint.LoadHasher, CancellationToken.None); // on the spare core while the pipeline is defined
            IReadOnlyDictionary<string, object> parameters = BindSettings(context, paths).Parameters;
            ExecutionPlan plan = Planner.Plan(context.Graph, selection.Read(result), inputsFromCheckpoints: File.Exists(paths.Database));

            // Checkpoints only exist once a run has happened; planning never creates the store.
            await using (Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false))
            {
                if (store is not null)
                {
                    Execution.Checkpointing checkpointing = StoreFactory.Checkpointing(paths, store, context.Pipeline.Serializers, parameters, _ => false, context.Env.Time);
                    checkpointing.Redactor = context.Secrets;
                    plan = await checkpointing.PlanAsync(plan, cancellationToken).ConfigureAwait(false);
                }
            }

            context.Out.Write(result.GetValue(json) ? Json(plan) : Text(plan));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Checks step names given on the command line, with a did-you-mean for each unknown one.</summary>
    internal static HashSet<string> CheckStepNames(CommandContext context, IReadOnlyList<string> names, string option)
    {
        var problems = new List<string>();
        _ = Planner.Resolve(context.Graph, names, option, problems);
        return problems.Count > 0
            ? throw new Definitions.PipelineDefinitionException(context.Pipeline.Name, problems)
            : new HashSet<string>(names, StringComparer.Ordinal);
    }

    /// <summary>Loads the project's configuration and binds the pipeline's parameters and Sluice's settings, reporting every problem of both at once; learns the secrets, which everything the command prints is then redacted with.</summary>
    internal static ProjectSettings BindSettings(CommandContext context, ProjectPaths paths)
    {
        ProjectConfiguration configuration;
        try
        {
            configuration = ConfigurationLoader.Read(paths, context.Env.Variables, definition: context.Pipeline.Settings);
        }
        catch (InvalidDataException e)
        {
            // The loader names the file and line of a syntax error (and, outside secret files, what is wrong there).
            throw new UsageException($"Configuration could not be read: {e.Message}");
        }

        ProjectSettings settings = SettingsBinder.Bind(context.Pipeline, configuration, context.Secrets);
        foreach (string name in context.Secrets.Skipped)
        {
            context.Error.Write($"warning: the secret {name} is shorter than {Secrets.SecretRedactor.MinimumLength} characters, too short to tell apart from ordinary text: it is NOT redacted from logs and output. Use a longer secret.\n");
        }

        return settings;
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
