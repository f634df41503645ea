using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sluice.Telemetry;

/// <summary>A logging sink for a real <see cref="LoggerFactory"/>: keeps every entry with its properties, its scopes' properties included.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>One log entry: category, level, event id, message, its own properties and those of the scopes around it.</summary>
    internal sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties, IReadOnlyDictionary<string, object?> ScopeProperties)
    {
        public object? this[string property] => Properties.TryGetValue(property, out object? value) ? value : ScopeProperties.GetValueOrDefault(property);
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var own = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    own[pair.Key] = pair.Value;
                }
            }

            var scoped = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes?.ForEachScope(
                (scope, into) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> properties)
                    {
                        foreach (KeyValuePair<string, object?> pair in properties)
                        {
                            into[pair.Key] = pair.Value;
                        }
                    }
                },
                scoped);
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), own, scoped));
        }
    }
}
