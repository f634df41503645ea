using System.CommandLine;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>runs</c>: the project's run history, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var limit = new Option<int>("--limit", "-n")
        {
            Description = "How many runs to list.",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("runs", "List the project's runs, newest first.");
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using IRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            IReadOnlyList<RunRecord> runs = store is null ? [] : await store.ListRunsAsync(result.GetValue(limit), cancellationToken).ConfigureAwait(false);
            var summaries = new List<(RunRecord Run, IReadOnlyList<StepRecord> Steps)>();
            foreach (RunRecord run in runs)
            {
                summaries.Add((run, await store!.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false)));
            }

            if (result.GetValue(json))
            {
                context.Out.Write(Json(summaries));
            }
            else if (runs.Count == 0)
            {
                context.Out.Write("No runs yet. Start one with 'run'.\n");
            }
            else
            {
                var table = new TextTable("run", "status", "started", "duration", "steps", "reason");
                foreach ((RunRecord run, IReadOnlyList<StepRecord> steps) in summaries)
                {
                    table.Add(
                        run.Id.Value,
                        run.Status.ToText(),
                        Formats.Time(run.CreatedAt, context.Zone),
                        run.EndedAt is { } ended ? Formats.Duration(ended - run.CreatedAt) : "-",
                        StepSummary(steps),
                        Formats.OneLine(run.Reason, 80));
                }

                context.Out.Write(table.Render());
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Returns "3/4 ok, 1 failed" style counts of a run's steps.</summary>
    internal static string StepSummary(IReadOnlyList<StepRecord> steps)
    {
        int ok = steps.Count(s => s.Status is StepStatus.Succeeded or StepStatus.Reused);
        var parts = new List<string> { $"{ok}/{steps.Count} ok" };
        foreach (IGrouping<StepStatus, StepRecord> group in steps.Where(s => s.Status is not (StepStatus.Succeeded or StepStatus.Reused)).GroupBy(s => s.Status).OrderBy(g => g.Key))
        {
            parts.Add($"{group.Count()} {group.Key.ToText()}");
        }

        return string.Join(", ", parts);
    }

    private static string Json(List<(RunRecord Run, IReadOnlyList<StepRecord> Steps)> runs)
    {
        return JsonRecords.Render(json =>
        {
        json.WriteStartArray();
        foreach ((RunRecord run, IReadOnlyList<StepRecord> steps) in runs)
        {
            JsonRecords.WriteRun(json, run);
            json.WritePropertyName("step_counts");
            json.WriteStartObject();
            foreach (IGrouping<StepStatus, StepRecord> group in steps.GroupBy(s => s.Status).OrderBy(g => g.Key))
            {
                json.WriteNumber(group.Key.ToText(), group.Count());
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        });
    }
}
