using System.Collections;
using Microsoft.Extensions.Logging;

namespace Sluice.Secrets;

/// <summary>A logger that redacts secrets before its inner logger sees anything: the message, every property value and the exception's text.</summary>
/// <remarks>
/// Structured sinks read a log entry's properties, not only its formatted message, and write exceptions with
/// <see cref="Exception.ToString"/>; all three are cleaned, so every sink behind this logger is safe whatever it writes.
/// </remarks>
internal sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
{
    /// <summary>Returns <paramref name="logger"/> itself when <paramref name="redactor"/> knows no secrets, else a redacting wrapper.</summary>
    public static ILogger Wrap(ILogger logger, SecretRedactor redactor) =>
        redactor.IsEmpty ? logger : new RedactingLogger(logger, redactor);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        state is IReadOnlyList<KeyValuePair<string, object?>> properties
            ? inner.BeginScope(new CleanState(properties, redactor.Redact(state.ToString() ?? ""), redactor))
            : inner.BeginScope(redactor.Redact(state.ToString() ?? ""));

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string message = redactor.Redact(formatter(state, exception));
        Exception? clean = exception is null ? null : RedactedException.From(exception, redactor);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            inner.Log(logLevel, eventId, new CleanState(properties, message, redactor), clean, static (s, _) => s.Message);
        }
        else
        {
            inner.Log(logLevel, eventId, message, clean, static (s, _) => s);
        }
    }

    /// <summary>A log entry's properties with every value that shows a secret replaced by its redacted text.</summary>
    private sealed class CleanState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _properties;

        public CleanState(IReadOnlyList<KeyValuePair<string, object?>> properties, string message, SecretRedactor redactor)
        {
            Message = message;
            _properties = new KeyValuePair<string, object?>[properties.Count];
            for (int i = 0; i < properties.Count; i++)
            {
                (string key, object? value) = properties[i];
                _properties[i] = new(key, Clean(value, redactor));
            }
        }

        public string Message { get; }

        public int Count => _properties.Length;

        public KeyValuePair<string, object?> this[int index] => _properties[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;

        // Numbers and other plain values stay as they are; anything whose text shows a secret becomes that text, redacted.
        private static object? Clean(object? value, SecretRedactor redactor)
        {
            if (value is null or Secret || value.GetType().IsPrimitive || value is decimal or DateTime or DateTimeOffset or TimeSpan or Guid)
            {
                return value;
            }

            string text = value is string s ? s : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            string redacted = redactor.Redact(text);
            return ReferenceEquals(redacted, text) ? value : redacted;
        }
    }
}
