using System.Text.Json;

namespace StockForecaster.Tests.EndToEnd;

/// <summary>One line of the alert file Sluice's log sink writes (<c>Sluice:Alerts:Sinks:log</c>), as these tests read it.</summary>
internal sealed record LoggedAlert(string Kind, string? RunId, string? Step, DateTimeOffset At, string Title, string Message);

/// <summary>Reads the project's alert file: what a log shipper or a person tailing it would see.</summary>
internal static class AlertFile
{
    /// <summary>The forecaster's configured alert file, relative to the project.</summary>
    public const string DefaultPath = "logs/alerts.jsonl";

    /// <summary>Returns every alert in the file, oldest first (empty when there is none).</summary>
    public static IReadOnlyList<LoggedAlert> Read(string projectDirectory, string relativePath = DefaultPath)
    {
        string path = Path.Combine(projectDirectory, relativePath);
        return File.Exists(path)
            ? [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<LoggedAlert>(l)!)]
            : [];
    }
}
