using System.Text;
using System.Text.Json;

namespace Sluice.Alerts.Sinks;

/// <summary>Writes an alert as a Slack-compatible message: <c>{"text": ...}</c>, optionally with blocks.</summary>
/// <remarks>Slack reads <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> as control characters in text, so they are escaped; long texts are cut to Slack's limits.</remarks>
public static class SlackMessage
{
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;

    /// <summary>Returns the message's JSON body.</summary>
    public static byte[] ToUtf8(Alert alert, bool withBlocks)
    {
        ArgumentNullException.ThrowIfNull(alert);
        string context = $"{alert.Kind} · {alert.Pipeline}" + (alert.RunId is { } run ? $" · run {run}" : "") + (alert.Step is { } step ? $" · step {step}" : "");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", Cut($"*{Escape(alert.Title)}*\n{Escape(alert.Message)}", SectionLimit));
            if (withBlocks)
            {
                json.WriteStartArray("blocks");
                json.WriteStartObject();
                json.WriteString("type", "header");
                WriteText(json, "plain_text", Cut(alert.Title, HeaderLimit));
                json.WriteEndObject();

                json.WriteStartObject();
                json.WriteString("type", "section");
                WriteText(json, "mrkdwn", Cut(Escape(alert.Message), SectionLimit));
                json.WriteEndObject();

                if (alert.Details.Count > 0)
                {
                    var lines = new StringBuilder();
                    foreach ((string name, string value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
                    {
                        lines.Append('*').Append(Escape(name)).Append("*: ").Append(Escape(value)).Append('\n');
                    }

                    json.WriteStartObject();
                    json.WriteString("type", "section");
                    WriteText(json, "mrkdwn", Cut(lines.ToString().TrimEnd(), SectionLimit));
                    json.WriteEndObject();
                }

                json.WriteStartObject();
                json.WriteString("type", "context");
                json.WriteStartArray("elements");
                json.WriteStartObject();
                json.WriteString("type", "mrkdwn");
                json.WriteString("text", Escape(context));
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteText(Utf8JsonWriter json, string type, string text)
    {
        json.WriteStartObject("text");
        json.WriteString("type", type);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
