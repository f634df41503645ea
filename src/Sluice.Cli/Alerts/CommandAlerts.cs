using Sluice.Alerts;
using Sluice.Alerts.Sinks;
using Sluice.Cli.Commands;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Execution;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Cli.Alerts;

/// <summary>One command's alerts: the sinks built from <c>Sluice:Alerts</c>, the dispatcher delivering to them, and the drain at the end.</summary>
internal sealed class CommandAlerts : IAsyncDisposable
{
    private readonly AlertSettings _settings;
    private readonly IReadOnlyList<IAlertSink> _sinks;
    private readonly TextWriter _notes;

    private CommandAlerts(AlertSettings settings, IReadOnlyList<IAlertSink> sinks, AlertDispatcher dispatcher, TextWriter notes)
    {
        _settings = settings;
        _sinks = sinks;
        Dispatcher = dispatcher;
        _notes = notes;
    }

    public AlertDispatcher Dispatcher { get; }

    public IReadOnlyList<IAlertSink> Sinks => _sinks;

    /// <summary>Builds the sinks and starts the dispatcher; null when no sink and no schedule are configured.</summary>
    public static CommandAlerts? Start(CommandContext context, ProjectPaths paths, ProjectSettings settings, IAlertStore? store, SecretRedactor redactor)
    {
        AlertSettings alerts = settings.Sluice.Alerts;
        if (!alerts.IsEnabled)
        {
            return null;
        }

        // Log sinks print on standard error: standard output carries the run's own lines, written from another thread.
        IReadOnlyList<IAlertSink> sinks = AlertSinkFactory.Create(alerts, paths.Root, context.Error, redactor);
        return new CommandAlerts(alerts, sinks, new AlertDispatcher(alerts, sinks, store, context.Env.Time, redactor), context.Error);
    }

    /// <summary>For <c>run</c>: hands the dispatcher to the run and checks the schedule before the run is recorded, so it does not count itself.</summary>
    public static async Task<CommandAlerts?> ForRunAsync(CommandContext context, ProjectPaths paths, ProjectSettings settings, Sluice.Sqlite.SqliteRunStore store, RunOptions options, CancellationToken cancellationToken)
    {
        if (!settings.Sluice.Alerts.IsEnabled)
        {
            return null;
        }

        // The run's redactor is the command's (context.Secrets): the sinks' secrets (SMTP passwords, secret headers)
        // added to it are masked in everything the run writes, not only in alerts.
        CommandAlerts alerts = Start(context, paths, settings, store, options.Redactor)!;

        options.Alerts = alerts.Dispatcher;
        if (alerts._settings.Schedule.IsSet)
        {
            try
            {
                ScheduleCheck check = await ScheduleWatch.CheckAsync(alerts._settings.Schedule, context.Pipeline.Name, store, alerts.Dispatcher, context.Env.Time, cancellationToken).ConfigureAwait(false);
                if (check.Raised)
                {
                    context.Error.Write($"note: schedule {check.Summary}.\n");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Watching the schedule is a courtesy of 'run': it must not stop the run.
                context.Error.Write($"note: the schedule could not be checked ({e.GetType().Name}: {e.Message}).\n");
            }
        }

        return alerts;
    }

    /// <summary>Waits for deliveries up to the drain limit and notes on standard error what was not delivered; never changes an exit code.</summary>
    public async Task<AlertDrainResult> DrainAsync(RunId? run)
    {
        AlertDrainResult result = await Dispatcher.DrainAsync(_settings.Delivery.DrainTimeout, CancellationToken.None).ConfigureAwait(false);
        string see = run is { } id ? $"; see 'alerts list {id}'" : "";
        foreach (AlertDelivery failed in result.Deliveries.Where(d => d.Outcome is not (AlertDeliveryOutcome.Delivered or AlertDeliveryOutcome.Abandoned)))
        {
            _notes.Write($"note: alert {failed.Alert.Kind} was not delivered to sink '{failed.Sink}' ({failed.Outcome.ToText()} after {Plural(failed.Attempts, "attempt")}): {Formats.OneLine(failed.Error)}\n");
        }

        if (result.GaveUp > 0)
        {
            _notes.Write($"note: gave up on {Plural(result.GaveUp, "alert delivery", "alert deliveries")} still in progress after waiting {Formats.Duration(_settings.Delivery.DrainTimeout)} (Sluice:Alerts:Delivery:DrainTimeout){see}.\n");
        }

        if (result.StoreErrors > 0)
        {
            _notes.Write($"note: {Plural(result.StoreErrors, "alert record")} could not be written to the run store.\n");
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync().ConfigureAwait(false);
        foreach (IDisposable sink in _sinks.OfType<IDisposable>())
        {
            sink.Dispose();
        }
    }

    internal static string Plural(int count, string one, string? many = null) =>
        count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";
}
