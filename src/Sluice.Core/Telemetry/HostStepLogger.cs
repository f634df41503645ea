using System.Collections;
using Microsoft.Extensions.Logging;
using Sluice.Secrets;

namespace Sluice.Telemetry;

/// <summary>Forwards what a step logs through <c>ctx.Logger</c> to the host's logger factory, each line carrying the attempt's properties.</summary>
/// <remarks>
/// The properties go into the line's own state rather than a scope, so a line logged from a thread the step started
/// without flowing its context still says which run, step and attempt it belongs to.
/// </remarks>
internal sealed class HostStepLogger(ILogger inner, AttemptScope attempt, SecretRedactor redactor) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            if (redactor.IsEmpty)
            {
                inner.Log<LineState>(logLevel, eventId, new LineState<TState>(attempt, state, formatter, null, null), exception, LineState.Format);
            }
            else
            {
                // An exception's text cannot be redacted in place: it travels as redacted text in the message instead.
                string? error = exception is null ? null : redactor.Redact(exception.ToString());
                inner.Log<LineState>(logLevel, eventId, new LineState<TState>(attempt, state, formatter, redactor, error), null, LineState.Format);
            }
        }
        catch (Exception)
        {
            // A failing host sink never fails a step.
        }
    }

    /// <summary>The state type every forwarded line is logged with.</summary>
    /// <remarks>
    /// Not generic on purpose: forwarding <c>Log&lt;TState&gt;</c> as <c>Log&lt;LineState&lt;TState&gt;&gt;</c> through <see cref="ILogger"/>
    /// (which this class implements itself) is an unbounded generic recursion, which Native AOT cannot compile and turns
    /// into throwing stubs across the assembly. One closed state type ends the recursion at the first level.
    /// </remarks>
    private abstract class LineState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public static Func<LineState, Exception?, string> Format { get; } = (line, exception) => line.Text(exception);

        public abstract int Count { get; }

        public abstract KeyValuePair<string, object?> this[int index] { get; }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Text(null);

        protected abstract string Text(Exception? exception);
    }

    /// <summary>A log line's own properties with the attempt's in front; <c>{OriginalFormat}</c>, if any, stays last as the convention wants.</summary>
    private sealed class LineState<TState>(AttemptScope attempt, TState state, Func<TState, Exception?, string> formatter, SecretRedactor? redactor, string? error)
        : LineState
    {
        private readonly IReadOnlyList<KeyValuePair<string, object?>>? _own = state as IReadOnlyList<KeyValuePair<string, object?>>;

        public override int Count => attempt.Count + (_own?.Count ?? 0);

        public override KeyValuePair<string, object?> this[int index]
        {
            get
            {
                if (index < attempt.Count)
                {
                    return attempt[index];
                }

                KeyValuePair<string, object?> pair = _own![index - attempt.Count];
                return redactor is null || pair.Key == "{OriginalFormat}" || pair.Value is null || pair.Value.GetType().IsPrimitive
                    ? pair
                    : new(pair.Key, redactor.Redact(pair.Value.ToString() ?? ""));
            }
        }

        protected override string Text(Exception? exception)
        {
            string text = formatter(state, exception);
            return redactor is null ? text : redactor.Redact(text) + (error is null ? "" : "\n" + error);
        }
    }
}
