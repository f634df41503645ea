using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sluice.Execution;

namespace StockForecaster.Alerts;

/// <summary>Raises alerts into <c>logs/alerts.jsonl</c> (one JSON object per line) and the step's log.</summary>
/// <remarks>
/// The file is the hand-off to whatever pages a person (a log shipper, a cron mail, a webhook relay);
/// Sluice's own alert rules and sinks are tracked in the observability issue. Raising never throws:
/// an alert that cannot be written must not hide the failure that raised it.
/// </remarks>
public static class AlertLog
{
    /// <summary>Gets the alert file's default path relative to the project.</summary>
    public const string DefaultPath = "logs/alerts.jsonl";

    private static readonly Lock Gate = new();

    /// <summary>Records an alert for the running step in the alert file the settings name.</summary>
    public static void Raise(StepContext context, AlertSettings settings, string kind, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var alert = new Alert(kind, context.RunId.ToString(), context.Step, context.Time.GetUtcNow(), message);
        context.Logger.LogError("ALERT {Kind}: {Message}", kind, message);
        try
        {
            string path = context.PathTo(settings.Log);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(alert) + "\n");
            lock (Gate)
            {
                // One append of one whole line: concurrent writers (two steps, two processes) never interleave within a line.
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                stream.Write(line);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Logger.LogError(e, "Could not write the alert to {Path}", settings.Log);
        }
    }

    /// <summary>Reads every alert in a project's alert file, oldest first (empty when there is none).</summary>
    public static IReadOnlyList<Alert> Read(string projectDirectory, string relativePath = DefaultPath)
    {
        string path = Path.Combine(projectDirectory, relativePath);
        return File.Exists(path)
            ? [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Alert>(l)!)]
            : [];
    }
}
