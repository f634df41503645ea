using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Execution;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>While a run executes, sends what a step writes to <c>Console.Out</c> (as information) and <c>Console.Error</c> (as warnings) to that step's log, redacted; writes made outside any step go to the real console, redacted.</summary>
/// <remarks>
/// The console is one per process, so the routing writers are installed by the first capture and the originals
/// restored when the last one ends; in between, <see cref="StepContext.Current"/> tells whose write it is. As an
/// observer, a capture logs a step's unfinished last line when the step's attempt ends, before its end is logged.
/// </remarks>
internal sealed class ConsoleCapture : IRunObserver, IDisposable
{
    private static readonly Lock Gate = new();
    private static int s_captures;
    private static TextWriter? s_originalOut;
    private static TextWriter? s_originalError;
    private static StepRouter? s_out;
    private static StepRouter? s_error;

    private bool _disposed;

    private ConsoleCapture()
    {
    }

    /// <summary>Installs the routing writers (if no capture has) and adds <paramref name="secrets"/> to what writes outside steps are redacted with.</summary>
    public static ConsoleCapture Start(SecretRedactor secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        lock (Gate)
        {
            if (s_captures++ == 0)
            {
                var console = new SecretRedactor();
                s_originalOut = Console.Out;
                s_originalError = Console.Error;
                s_out = new StepRouter(new RedactingTextWriter(s_originalOut, console), LogLevel.Information, console);
                s_error = new StepRouter(new RedactingTextWriter(s_originalError, console), LogLevel.Warning, console);
                Console.SetOut(s_out);
                Console.SetError(s_error);
            }

            s_out!.Secrets.AddFrom(secrets);
            return new ConsoleCapture();
        }
    }

    public void OnEvent(RunEvent runEvent)
    {
        if (runEvent is { Step: { } step, Attempt: { } attempt }
            && runEvent.Kind is RunEventKind.StepSucceeded or RunEventKind.StepFailed or RunEventKind.StepRetrying or RunEventKind.StepCancelled)
        {
            s_out?.Finish(runEvent.RunId, step, attempt);
            s_error?.Finish(runEvent.RunId, step, attempt);
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => NullLogger.Instance;

    /// <summary>Ends this capture; the last one to end restores the original console writers.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (--s_captures == 0)
            {
                s_out!.FinishAll();
                s_error!.FinishAll();
                Console.SetOut(s_originalOut!);
                Console.SetError(s_originalError!);
                s_out.Dispose();
                s_error.Dispose();
                (s_out, s_error, s_originalOut, s_originalError) = (null, null, null, null);
            }
        }
    }

    /// <summary>One console stream: a step's writes go to its logger a line at a time, others to the real console.</summary>
    private sealed class StepRouter(TextWriter console, LogLevel level, SecretRedactor secrets) : TextWriter
    {
        // No fixed id: a step's console output is the step's own text, like any other line it logs.
        private static readonly EventId ConsoleLine = new(0, "StepConsole");

        private readonly Dictionary<StepContext, StringBuilder> _partial = new(ReferenceEqualityComparer.Instance);

        public SecretRedactor Secrets => secrets;

        public override Encoding Encoding => console.Encoding;

        public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(string? value) => Write(value.AsSpan());

        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (StepContext.Current is not { } step)
            {
                console.Write(buffer);
                return;
            }

            List<string>? lines = null;
            lock (_partial)
            {
                if (!_partial.TryGetValue(step, out StringBuilder? text))
                {
                    _partial[step] = text = new StringBuilder();
                }

                text.Append(buffer);
                for (int newline = IndexOf(text, '\n'); newline >= 0; newline = IndexOf(text, '\n'))
                {
                    (lines ??= []).Add(text.ToString(0, newline).TrimEnd('\r'));
                    text.Remove(0, newline + 1);
                }

                if (text.Length == 0)
                {
                    _partial.Remove(step);
                }
            }

            foreach (string line in lines ?? [])
            {
                Log(step, line);
            }
        }

        public override void Flush() => console.Flush();

        /// <summary>Logs what an ended attempt left without a final newline.</summary>
        public void Finish(RunId run, string stepName, int attempt)
        {
            var ended = new List<(StepContext Step, string Text)>();
            lock (_partial)
            {
                foreach ((StepContext step, StringBuilder text) in _partial)
                {
                    if (step.RunId == run && step.Step == stepName && step.Attempt == attempt)
                    {
                        ended.Add((step, text.ToString()));
                    }
                }

                foreach ((StepContext step, _) in ended)
                {
                    _partial.Remove(step);
                }
            }

            foreach ((StepContext step, string text) in ended)
            {
                Log(step, text);
            }
        }

        public void FinishAll()
        {
            KeyValuePair<StepContext, StringBuilder>[] left;
            lock (_partial)
            {
                left = [.. _partial];
                _partial.Clear();
            }

            foreach ((StepContext step, StringBuilder text) in left)
            {
                Log(step, text.ToString());
            }

            console.Flush();
        }

        private static int IndexOf(StringBuilder text, char c)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == c)
                {
                    return i;
                }
            }

            return -1;
        }

        // The step's logger redacts with the run's secrets before any sink sees the line.
        private void Log(StepContext step, string line)
        {
            try
            {
                step.Logger.Log(level, ConsoleLine, line, null, static (s, _) => s);
            }
            catch (Exception)
            {
                // A failing log sink never fails the step that wrote to the console.
            }
        }
    }
}
