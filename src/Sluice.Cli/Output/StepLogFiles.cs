using System.Globalization;
using Microsoft.Extensions.Logging;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>Writes what each step logs to <c>logs/&lt;run&gt;/&lt;step&gt;.log</c>, created on the step's first line.</summary>
internal sealed class StepLogFiles(string runDirectory, TimeProvider time) : IRunObserver, IDisposable
{
    private readonly Dictionary<string, StreamWriter> _files = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void OnEvent(RunEvent runEvent)
    {
        // Failures go in the step's own log too, so it reads complete on its own.
        if (runEvent.Kind is RunEventKind.StepRetrying or RunEventKind.StepFailed && runEvent.Step is { } failed)
        {
            Write(runEvent.RunId.Value, failed, runEvent.Attempt ?? 0, LogLevel.Error, $"{runEvent.ErrorType}: {runEvent.ErrorMessage} ({runEvent.Reason})", null);
        }

        if (runEvent.Kind is RunEventKind.StepSucceeded or RunEventKind.StepFailed or RunEventKind.StepCancelled && runEvent.Step is { } step)
        {
            lock (_gate)
            {
                // The step is done: release its file handle so a 10,000-step run never holds 10,000 of them.
                if (_files.Remove(step, out StreamWriter? writer))
                {
                    writer.Dispose();
                }
            }
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => new FileLogger(this, run.Value, step, attempt);

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (StreamWriter writer in _files.Values)
            {
                writer.Dispose();
            }

            _files.Clear();
        }
    }

    private void Write(string run, string step, int attempt, LogLevel level, string message, Exception? exception)
    {
        string stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        // Every line names its run, step and attempt, so a line copied or grepped out of the file still says where it is from.
        string line = $"{stamp} {Level(level)} run={run} step={step} attempt={attempt} {message}";
        if (exception is not null)
        {
            line += "\n" + exception;
        }

        lock (_gate)
        {
            if (!_files.TryGetValue(step, out StreamWriter? writer))
            {
                Directory.CreateDirectory(runDirectory);
                writer = new StreamWriter(new FileStream(Path.Combine(runDirectory, step + ".log"), FileMode.Append, FileAccess.Write, FileShare.Read))
                {
                    AutoFlush = true,
                    NewLine = "\n",
                };
                _files[step] = writer;
            }

            writer.WriteLine(line);
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "    ",
    };

    private sealed class FileLogger(StepLogFiles files, string run, string step, int attempt) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                files.Write(run, step, attempt, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
