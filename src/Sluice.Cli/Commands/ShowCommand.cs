using System.CommandLine;
using System.Globalization;
using System.Text;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.State;
using Sluice.Telemetry;

namespace Sluice.Cli.Commands;

/// <summary><c>show RUN</c>: a run's steps, attempts, durations, errors and reasons, its metrics summary and the steps' measurements.</summary>
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
            IReadOnlyList<RunMeasurement> metrics = store is IRunMetricsStore kept
                ? await kept.GetMeasurementsAsync(run.Id, cancellationToken).ConfigureAwait(false)
                : [];
            IReadOnlyList<Sluice.Alerts.AlertRecord> alerts = await Alerts.AlertViews.ForRunAsync(store, run.Id, cancellationToken).ConfigureAwait(false);
            context.Out.Write(result.GetValue(json) ? Json(run, steps, attempts, metrics, alerts) : Text(run, steps, attempts, context.Zone, metrics) + Alerts.AlertViews.Summary(alerts, context.Zone));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Text(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyList<StepAttemptRecord> attempts, TimeZoneInfo zone, IReadOnlyList<RunMeasurement>? metrics = null)
    {
        metrics ??= [];
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

        text.Append($"  steps     {RunsCommand.StepSummary(steps)}\n");
        if (Summary(metrics) is { } summary)
        {
            text.Append($"  metrics   {summary}\n");
        }

        text.Append('\n');
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

        var measured = metrics.Where(m => m.Source == MeasurementSource.Step).ToList();
        if (measured.Count > 0)
        {
            text.Append("\nmeasurements recorded by steps:\n");
            var recorded = new TextTable("step", "measurement", "value", "unit", "attempt");
            foreach (RunMeasurement m in measured)
            {
                recorded.Add(m.Step ?? "", m.Name, Number(m.Value), m.Unit ?? "", m.Attempt?.ToString(CultureInfo.InvariantCulture) ?? "-");
            }

            text.Append(recorded.Render(indent: "  "));
        }

        return text.ToString();
    }

    /// <summary>Returns the engine's figures not already in the header: attempts, retries and bytes, or null for a run recorded without them.</summary>
    private static string? Summary(IReadOnlyList<RunMeasurement> metrics)
    {
        Dictionary<string, double> run = metrics.Where(m => m.Source == MeasurementSource.Engine).ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);
        if (run.Count == 0)
        {
            return null;
        }

        string Figure(string name) => run.TryGetValue(name, out double value) ? Number(value) : "?";
        return $"{Figure(EngineMeasurements.StepsRun)} steps run, {Figure(EngineMeasurements.Attempts)} attempts, {Figure(EngineMeasurements.Retries)} retries; "
            + $"{Figure(EngineMeasurements.BytesWritten)} bytes written, {Figure(EngineMeasurements.BytesPublished)} published";
    }

    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string Json(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyList<StepAttemptRecord> attempts, IReadOnlyList<RunMeasurement> metrics, IReadOnlyList<Sluice.Alerts.AlertRecord> alerts)
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

        // The engine's figures by name; the steps' own measurements as a list (a step may record many).
        json.WriteStartObject("metrics");
        foreach (RunMeasurement m in metrics.Where(m => m.Source == MeasurementSource.Engine))
        {
            json.WriteStartObject(m.Name);
            json.WriteNumber("value", m.Value);
            json.WriteString("unit", m.Unit);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("measurements");
        foreach (RunMeasurement m in metrics.Where(m => m.Source == MeasurementSource.Step))
        {
            json.WriteStartObject();
            json.WriteString("step", m.Step);
            json.WriteString("name", m.Name);
            json.WriteNumber("value", m.Value);
            json.WriteString("unit", m.Unit);
            if (m.Attempt is { } attempt)
            {
                json.WriteNumber("attempt", attempt);
            }
            else
            {
                json.WriteNull("attempt");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        Alerts.AlertViews.WriteJson(json, alerts);
        json.WriteEndObject();
        });
    }
}
