using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>Writes one JSON object per event to <c>logs/&lt;run&gt;/run.jsonl</c>.</summary>
/// <remarks>
/// Lines are buffered and flushed at failures, retries and the end of the run, so a busy run
/// does not pay a system call per event; the run store holds the same events durably.
/// </remarks>
internal sealed class JsonLinesObserver : IRunObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;

    public JsonLinesObserver(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        // The writer fills a buffer, not the file: Utf8JsonWriter.Flush on a stream would flush the stream too.
        _json = new Utf8JsonWriter(_line, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void OnEvent(RunEvent e)
    {
        lock (_gate)
        {
            Write(_json, e);
            _json.Flush();
            _line.Write("\n"u8);
            _file.Write(_line.WrittenSpan);
            _line.ResetWrittenCount();
            _json.Reset();
            if (e.Kind is RunEventKind.StepFailed or RunEventKind.StepRetrying or RunEventKind.RunStarted
                or RunEventKind.RunSucceeded or RunEventKind.RunFailed or RunEventKind.RunCancelled)
            {
                _file.Flush();
            }
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => NullLogger.Instance;

    /// <summary>Writes an event in the documented <c>run.jsonl</c> shape (docs/file-formats.md).</summary>
    internal static void Write(Utf8JsonWriter json, RunEvent e)
    {
        json.WriteStartObject();
        json.WriteString("time", e.At.UtcDateTime);
        json.WriteString("event", e.Kind.ToText());
        json.WriteString("run", e.RunId.Value);
        if (e.Step is not null)
        {
            json.WriteString("step", e.Step);
        }

        if (e.Attempt is { } attempt)
        {
            json.WriteNumber("attempt", attempt);
        }

        if (e.Duration is { } duration)
        {
            json.WriteNumber("duration_ms", Math.Round(duration.TotalMilliseconds, 3));
        }

        if (e.ErrorType is not null)
        {
            json.WriteString("error_type", e.ErrorType);
        }

        if (e.ErrorMessage is not null)
        {
            json.WriteString("error", e.ErrorMessage);
        }

        if (e.Reason is not null)
        {
            json.WriteString("reason", e.Reason);
        }

        json.WriteEndObject();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _json.Dispose();
            _file.Flush(flushToDisk: false);
            _file.Dispose();
        }
    }
}
