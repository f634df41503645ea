using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StockForecaster.Tests.Sources;

/// <summary>One line a <see cref="RecordingLogger"/> received, with its structured values.</summary>
internal sealed record LogLine(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>A logger that keeps every line, so tests can check what was said at the step's boundaries and that no secret was.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public string AllText => string.Join("\n", _lines.Select(l => l.Message));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(p => p.Key, p => p.Value) ?? [];
        _lines.Enqueue(new LogLine(logLevel, eventId.Name ?? "", formatter(state, exception), values));
    }
}
