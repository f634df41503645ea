using System.CommandLine;
using System.Text;
using Sluice.Alerts;
using Sluice.Cli.Alerts;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>alerts list|test|check</c>: the alerts raised and their deliveries, a test alert to every sink, and the schedule check for cron.</summary>
internal static class AlertsCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var command = new Command("alerts", "Alerts: list those raised with their delivery attempts, send a test alert, check the schedule.");
        command.Subcommands.Add(List(context, projectDir, json));
        command.Subcommands.Add(Test(context, projectDir, json));
        command.Subcommands.Add(Check(context, projectDir));
        return command;
    }

    private static Command List(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var runArgument = new Argument<string?>("run") { Description = "Only this run's alerts: a run id, a unique prefix, or 'last'.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit", "-n") { Description = "How many alerts to list.", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List raised alerts, newest first, with every delivery attempt (sink, attempt, outcome, duration, error).");
        command.Arguments.Add(runArgument);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            RunId? run = null;
            if (result.GetValue(runArgument) is { } text)
            {
                run = (await CommandContext.FindRunAsync(store, text, cancellationToken).ConfigureAwait(false)).Id;
            }

            IReadOnlyList<AlertRecord> alerts = store is null ? [] : await store.ListAlertsAsync(run, result.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                context.Out.Write(JsonRecords.Render(w =>
                {
                    w.WriteStartArray();
                    AlertViews.WriteItems(w, alerts);
                    w.WriteEndArray();
                }));
            }
            else
            {
                context.Out.Write(alerts.Count > 0 ? AlertViews.Detailed(alerts, context.Zone)
                    : run is { } id ? $"No alerts were raised in run {id}.\n"
                    : "No alerts raised yet.\n");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Test(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var command = new Command("test", "Send a test alert to every configured sink (whatever kinds it takes) and report each result; exit code 1 if any sink failed.");
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            ProjectSettings settings = PlanCommand.BindSettings(context, paths);
            if (settings.Sluice.Alerts.Sinks.Count == 0)
            {
                throw new UsageException("No alert sinks are configured: add one under Sluice:Alerts:Sinks in config/appsettings.json, for example \"Sinks\": { \"log\": { \"Type\": \"log\" } }.");
            }

            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            await using CommandAlerts alerts = CommandAlerts.Start(context, paths, settings, store, context.Secrets)!;
            DateTimeOffset now = context.Env.Time.GetUtcNow();
            var alert = new Alert(
                AlertKind.Test, context.Pipeline.Name, null, null, $"Test alert from {context.Pipeline.Name}",
                $"A test alert sent by 'alerts test' on {context.Env.HostName}. If you read this, the sink works.", now,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["host"] = context.Env.HostName })
            {
                DedupeKey = $"{AlertKind.Test}/{context.Pipeline.Name}/{now.UtcDateTime:O}",
            };
            IReadOnlyList<AlertDelivery> deliveries = await alerts.Dispatcher.SendAsync(alert, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                context.Out.Write(JsonRecords.Render(w =>
                {
                    w.WriteStartArray();
                    foreach (AlertDelivery d in deliveries)
                    {
                        w.WriteStartObject();
                        w.WriteString("sink", d.Sink);
                        w.WriteString("outcome", d.Outcome.ToText());
                        w.WriteNumber("attempts", d.Attempts);
                        w.WriteString("error", d.Error);
                        w.WriteNumber("duration_ms", Math.Round(d.Duration.TotalMilliseconds, 3));
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }));
            }
            else
            {
                var table = new TextTable("sink", "type", "result", "attempts", "took", "error");
                foreach (AlertDelivery d in deliveries)
                {
                    string description = alerts.Sinks.First(s => s.Name == d.Sink).Description;
                    table.Add(d.Sink, description, d.Outcome.ToText(), d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), Formats.Duration(d.Duration), Formats.OneLine(d.Error, 120));
                }

                context.Out.Write(table.Render());
            }

            return deliveries.All(d => d.Outcome == AlertDeliveryOutcome.Delivered) ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    private static Command Check(CommandContext context, Option<string?> projectDir)
    {
        var command = new Command("check", "Check the schedule (Sluice:Alerts:Schedule): raise schedule-missed, once, if a scheduled time passed its grace period with no run started. For cron or a systemd timer.");
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            ProjectSettings settings = PlanCommand.BindSettings(context, paths);
            if (!settings.Sluice.Alerts.Schedule.IsSet)
            {
                throw new UsageException("No schedule is configured: set Sluice:Alerts:Schedule:Cron in config/appsettings.json, for example \"0 6 * * 1-5\".");
            }

            await using Sluice.Sqlite.SqliteRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            if (store is null)
            {
                context.Out.Write($"{context.Pipeline.Name} has not run yet: the schedule is watched from its first run.\n");
                return ExitCodes.Success;
            }

            await using CommandAlerts alerts = CommandAlerts.Start(context, paths, settings, store, context.Secrets)!;
            ScheduleCheck check = await ScheduleWatch.CheckAsync(settings.Sluice.Alerts.Schedule, context.Pipeline.Name, store, alerts.Dispatcher, context.Env.Time, cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder($"schedule '{settings.Sluice.Alerts.Schedule.Cron}': {check.Summary}\n");
            if (check.Raised)
            {
                AlertDrainResult drained = await alerts.DrainAsync(null).ConfigureAwait(false);
                foreach (AlertDelivery d in drained.Deliveries)
                {
                    text.Append($"  {d.Sink}: {d.Outcome.ToText()}{(d.Error is null ? "" : ": " + Formats.OneLine(d.Error, 120))}\n");
                }

                if (alerts.Sinks.Count == 0)
                {
                    text.Append("  (no sink is configured: the alert is recorded only)\n");
                }
            }

            context.Out.Write(text.ToString());
            return ExitCodes.Success;
        });
        return command;
    }
}
