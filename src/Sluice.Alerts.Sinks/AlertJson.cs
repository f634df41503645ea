using System.Text;
using System.Text.Json;

namespace Sluice.Alerts.Sinks;

/// <summary>Writes an alert as Sluice's alert JSON, version 1: the webhook body, the command's standard input and each line of <c>alerts.jsonl</c>.</summary>
/// <remarks>
/// Property names are PascalCase so a line reads back as the forecaster's own <c>Alert</c> record
/// (<c>Kind</c>, <c>RunId</c>, <c>Step</c>, <c>At</c>, <c>Message</c>): the log sink is a drop-in for its <c>logs/alerts.jsonl</c>.
/// </remarks>
public static class AlertJson
{
    /// <summary>The version written in every object's <c>Version</c> property.</summary>
    public const int Version = 1;

    private static readonly JsonWriterOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Returns the alert as one line of compact UTF-8 JSON, without a line break.</summary>
    public static byte[] ToUtf8(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteNumber("Version", Version);
            json.WriteString("Kind", alert.Kind.Name);
            json.WriteString("Pipeline", alert.Pipeline);
            json.WriteString("RunId", alert.RunId?.Value);
            json.WriteString("Step", alert.Step);
            json.WriteString("At", alert.At);
            json.WriteString("Title", alert.Title);
            json.WriteString("Message", alert.Message);
            json.WriteStartObject("Details");
            foreach ((string name, string value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("Key", alert.DedupeKey);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Returns the alert as one line of compact JSON text.</summary>
    public static string ToText(Alert alert) => Encoding.UTF8.GetString(ToUtf8(alert));
}
