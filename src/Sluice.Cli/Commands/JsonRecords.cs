using System.Text.Json;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary>The JSON shapes of run-store records printed by <c>--json</c>; property names are snake_case and stable.</summary>
internal static class JsonRecords
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Returns the indented JSON text <paramref name="write"/> produces, ending with a newline.</summary>
    public static string Render(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes a run's fields and leaves its object open for the caller to add to.</summary>
    public static void WriteRun(Utf8JsonWriter json, RunRecord run)
    {
        json.WriteStartObject();
        json.WriteString("run", run.Id.Value);
        json.WriteString("pipeline", run.Pipeline);
        json.WriteString("status", run.Status.ToText());
        json.WriteString("created_at", run.CreatedAt.UtcDateTime);
        WriteTime(json, "ended_at", run.EndedAt);
        json.WriteString("arguments", run.Arguments);
        json.WriteString("host", run.Host);
        json.WriteNumber("pid", run.ProcessId);
        json.WriteString("reason", run.Reason);
        json.WriteString("resumed_from", run.ResumedFrom?.Value);
    }

    public static void WriteStep(Utf8JsonWriter json, StepRecord step, IEnumerable<StepAttemptRecord> attempts)
    {
        json.WriteStartObject();
        json.WriteString("step", step.Step);
        json.WriteString("status", step.Status.ToText());
        json.WriteString("decision", step.Decision);
        json.WriteString("reason", step.Reason);
        WriteTime(json, "started_at", step.StartedAt);
        WriteTime(json, "ended_at", step.EndedAt);
        json.WriteStartArray("attempts");
        foreach (StepAttemptRecord attempt in attempts)
        {
            json.WriteStartObject();
            json.WriteNumber("attempt", attempt.Attempt);
            json.WriteString("outcome", attempt.Outcome.ToText());
            json.WriteString("started_at", attempt.StartedAt.UtcDateTime);
            WriteTime(json, "ended_at", attempt.EndedAt);
            if (attempt.EndedAt is { } ended)
            {
                json.WriteNumber("duration_ms", Math.Round((ended - attempt.StartedAt).TotalMilliseconds, 3));
            }

            json.WriteString("error_type", attempt.ErrorType);
            json.WriteString("error", attempt.ErrorMessage);
            json.WriteString("reason", attempt.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            json.WriteString(name, value.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
