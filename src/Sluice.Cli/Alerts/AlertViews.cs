using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Alerts;
using Sluice.Cli.Output;
using Sluice.State;

namespace Sluice.Cli.Alerts;

/// <summary>How recorded alerts read in <c>show</c> and <c>alerts list</c>, as text and as JSON.</summary>
internal static class AlertViews
{
    /// <summary>Returns the alerts of a run, or none when the store has no alert tables to read (a store that is not SQLite).</summary>
    public static async Task<IReadOnlyList<AlertRecord>> ForRunAsync(IRunStore store, RunId run, CancellationToken cancellationToken) =>
        store is IAlertStore alerts ? await alerts.ListAlertsAsync(run, int.MaxValue, cancellationToken).ConfigureAwait(false) : [];

    /// <summary>Returns the "alerts:" section of <c>show</c>: one line per alert and one per sink with its outcome; empty when there are none.</summary>
    public static string Summary(IReadOnlyList<AlertRecord> alerts, TimeZoneInfo zone)
    {
        if (alerts.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder("\nalerts:\n");
        foreach (AlertRecord record in alerts.OrderBy(a => a.Alert.At).ThenBy(a => a.Id))
        {
            Alert alert = record.Alert;
            text.Append($"  {Formats.Clock(alert.At, zone)} {alert.Kind}  {alert.Title}\n");
            var table = new TextTable();
            foreach (IGrouping<string, AlertDeliveryAttempt> sink in record.Deliveries.GroupBy(d => d.Sink))
            {
                table.Add(sink.Key, Outcome([.. sink]));
            }

            text.Append(record.Deliveries.Count == 0 ? "    (no sink receives this kind)\n" : table.Render(withHeader: false, indent: "    "));
        }

        return text.ToString();
    }

    /// <summary>Returns <c>alerts list</c>'s text: every alert, newest first, with each delivery attempt.</summary>
    public static string Detailed(IReadOnlyList<AlertRecord> alerts, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        foreach (AlertRecord record in alerts)
        {
            Alert alert = record.Alert;
            text.Append($"{Formats.Time(alert.At, zone)}  {alert.Kind}  {(alert.RunId is { } run ? $"run {run}" : "no run")}{(alert.Step is { } step ? $"  step {step}" : "")}\n");
            text.Append($"  {alert.Title}\n");
            foreach (string line in alert.Message.Split('\n').Take(6))
            {
                text.Append($"  | {line.TrimEnd()}\n");
            }

            if (record.Deliveries.Count == 0)
            {
                text.Append("  (no sink receives this kind)\n");
            }
            else
            {
                var table = new TextTable();
                foreach (AlertDeliveryAttempt attempt in record.Deliveries)
                {
                    table.Add(
                        attempt.Sink,
                        $"attempt {attempt.Attempt.ToString(CultureInfo.InvariantCulture)}",
                        attempt.Outcome.ToText(),
                        Formats.Duration(attempt.Duration),
                        Formats.OneLine(attempt.Error, 120));
                }

                text.Append(table.Render(withHeader: false, indent: "  "));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes the alerts as a JSON array property named "alerts" of the open object.</summary>
    public static void WriteJson(Utf8JsonWriter json, IReadOnlyList<AlertRecord> alerts)
    {
        json.WriteStartArray("alerts");
        WriteItems(json, alerts);
        json.WriteEndArray();
    }

    /// <summary>Writes each alert as a JSON object into the open array.</summary>
    public static void WriteItems(Utf8JsonWriter json, IReadOnlyList<AlertRecord> alerts)
    {
        foreach (AlertRecord record in alerts)
        {
            Alert alert = record.Alert;
            json.WriteStartObject();
            json.WriteNumber("id", record.Id);
            json.WriteString("kind", alert.Kind.Name);
            json.WriteString("pipeline", alert.Pipeline);
            json.WriteString("run", alert.RunId?.Value);
            json.WriteString("step", alert.Step);
            json.WriteString("title", alert.Title);
            json.WriteString("message", alert.Message);
            json.WriteString("at", alert.At.UtcDateTime);
            json.WriteString("key", alert.DedupeKey);
            json.WriteStartObject("details");
            foreach ((string name, string value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("deliveries");
            foreach (AlertDeliveryAttempt attempt in record.Deliveries)
            {
                json.WriteStartObject();
                json.WriteString("sink", attempt.Sink);
                json.WriteNumber("attempt", attempt.Attempt);
                json.WriteString("at", attempt.At.UtcDateTime);
                json.WriteString("outcome", attempt.Outcome.ToText());
                json.WriteString("error", attempt.Error);
                json.WriteNumber("duration_ms", Math.Round(attempt.Duration.TotalMilliseconds, 3));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>Returns one sink's outcome in words: "delivered", "delivered at attempt 4 (3 failed)", "failed after 4 attempts: HTTP 500".</summary>
    private static string Outcome(IReadOnlyList<AlertDeliveryAttempt> attempts)
    {
        AlertDeliveryAttempt last = attempts[^1];
        if (last.Outcome == AlertDeliveryOutcome.Delivered)
        {
            return attempts.Count == 1 ? "delivered" : $"delivered at attempt {last.Attempt} ({attempts.Count - 1} before it failed)";
        }

        return $"{last.Outcome.ToText()} after {CommandAlerts.Plural(attempts.Count, "attempt")}: {Formats.OneLine(last.Error, 120)}";
    }
}
