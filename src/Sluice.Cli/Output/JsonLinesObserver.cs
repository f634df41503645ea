using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sluice.Execution;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>Writes one JSON object per event, and per line a step logs, to <c>logs/&lt;run&gt;/run.jsonl</c>: the run's complete structured log.</summary>
/// <remarks>
/// Lines are buffered and flushed at failures, retries, error log lines and the end of the run, so a busy run
/// does not pay a system call per event; the run store holds the same events (not the log lines) durably.
/// </remarks>
internal sealed class JsonLinesObserver : IRunObserver, IDisposable
{
    /// <summary>The <c>event</c> of a line a step logged.</summary>
    public const string LogEvent = "log";

    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;

    public JsonLinesObserver(string path, TimeProvider? time = null, SecretRedactor? redactor = null)
    {
        _time = time ?? TimeProvider.System;
        _redactor = redactor ?? SecretRedactor.None;
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

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => new LineLogger(this, run.Value, step, attempt);

    /// <summary>Writes a step's log line as a <c>log</c> event (docs/file-formats.md).</summary>
    private void WriteLog(string run, string step, int attempt, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        DateTimeOffset at = _time.GetUtcNow();
        lock (_gate)
        {
            _json.WriteStartObject();
            _json.WriteString("time", at.UtcDateTime);
            _json.WriteString("event", LogEvent);
            _json.WriteString("run", run);
            _json.WriteString("step", step);
            _json.WriteNumber("attempt", attempt);
            _json.WriteString("level", LevelText(level));
            _json.WriteNumber("event_id", eventId.Id);
            if (eventId.Name is not null)
            {
                _json.WriteString("event_name", eventId.Name);
            }

            _json.WriteString("message", _redactor.Redact(message));
            if (exception is not null)
            {
                _json.WriteString("exception", _redactor.Redact(exception.ToString()));
            }

            _json.WriteEndObject();
            _json.Flush();
            _line.Write("\n"u8);
            _file.Write(_line.WrittenSpan);
            _line.ResetWrittenCount();
            _json.Reset();
            if (level >= LogLevel.Error)
            {
                _file.Flush();
            }
        }
    }

    /// <summary>Returns the <c>level</c> text of a log line: <c>trace</c>, <c>debug</c>, <c>information</c>, <c>warning</c>, <c>error</c>, <c>critical</c>.</summary>
    internal static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

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

    private sealed class LineLogger(JsonLinesObserver file, string run, string step, int attempt) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The same threshold as the step's .log file, so the two agree line for line.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                file.WriteLog(run, step, attempt, logLevel, eventId, formatter(state, exception), exception);
            }
        }
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
