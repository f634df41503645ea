using System.CommandLine;
using System.Text;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>show RUN</c>: a run's steps, attempts, durations, errors and reasons.</summary>
internal static class ShowCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var runArgument = new Argument<string>("run") { Description = "A run id, a unique prefix of one, or 'last'." };
        var command = new Command("show", "Show one run: every step with its decision, attempts, durations, errors and reasons.");
        command.Arguments.Add(runArgument);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using IRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            RunRecord run = await CommandContext.FindRunAsync(store, result.GetValue(runArgument)!, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<StepRecord> steps = await store!.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<StepAttemptRecord> attempts = await store.GetAttemptsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Sluice.Alerts.AlertRecord> alerts = await Alerts.AlertViews.ForRunAsync(store, run.Id, cancellationToken).ConfigureAwait(false);
            context.Out.Write(result.GetValue(json) ? Json(run, steps, attempts, alerts) : Text(run, steps, attempts, context.Zone) + Alerts.AlertViews.Summary(alerts, context.Zone));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Text(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyList<StepAttemptRecord> attempts, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        text.Append($"run {run.Id}  pipeline {run.Pipeline}  {run.Status.ToText()}\n");
        text.Append($"  started   {Formats.Time(run.CreatedAt, zone)}");
        if (run.EndedAt is { } ended)
        {
            text.Append($"   ended {Formats.Time(ended, zone)}   took {Formats.Duration(ended - run.CreatedAt)}");
        }

        text.Append($"\n  command   {run.Arguments}   (process {run.ProcessId} on {run.Host})\n");
        if (run.Reason is not null)
        {
            text.Append($"  reason    {run.Reason}\n");
        }

        text.Append($"  steps     {RunsCommand.StepSummary(steps)}\n\n");
        var table = new TextTable("step", "status", "decision", "attempts", "duration", "reason");
        foreach (StepRecord step in steps)
        {
            string duration = step.StartedAt is { } s && step.EndedAt is { } e ? Formats.Duration(e - s) : "-";
            table.Add(step.Step, step.Status.ToText(), step.Decision, step.Attempts == 0 ? "-" : step.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), duration, step.Reason);
        }

        text.Append(table.Render(indent: "  "));
        var failedAttempts = attempts.Where(a => a.Outcome is not AttemptOutcome.Succeeded).ToList();
        if (failedAttempts.Count > 0)
        {
            text.Append("\nattempts that did not succeed:\n");
            foreach (StepAttemptRecord a in failedAttempts)
            {
                string took = a.EndedAt is { } e ? Formats.Duration(e - a.StartedAt) : "-";
                text.Append($"  {a.Step} attempt {a.Attempt}: {a.Outcome.ToText()} after {took}");
                text.Append(a.Reason is null ? "\n" : $" ({a.Reason})\n");
                if (a.ErrorType is not null || a.ErrorMessage is not null)
                {
                    text.Append($"    {a.ErrorType}: {a.ErrorMessage?.Replace("\n", "\n    ", StringComparison.Ordinal)}\n");
                }
            }
        }

        return text.ToString();
    }

    private static string Json(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyList<StepAttemptRecord> attempts, IReadOnlyList<Sluice.Alerts.AlertRecord> alerts)
    {
        return JsonRecords.Render(json =>
        {
        JsonRecords.WriteRun(json, run);
        json.WriteStartArray("steps");
        foreach (StepRecord step in steps)
        {
            JsonRecords.WriteStep(json, step, attempts.Where(a => a.Step == step.Step));
        }

        json.WriteEndArray();
        Alerts.AlertViews.WriteJson(json, alerts);
        json.WriteEndObject();
        });
    }
}
