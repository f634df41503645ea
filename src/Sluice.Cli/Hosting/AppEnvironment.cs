namespace Sluice.Cli.Hosting;

/// <summary>What a command reads from its surroundings; tests replace each part.</summary>
internal sealed class AppEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TimeProvider Time { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>Gets a way to write raw bytes to standard output (<c>artifacts show</c>); null where only text is captured, as in tests, which then get the bytes as UTF-8 text on <see cref="Out"/>.</summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    /// <summary>Gets whether standard output is an interactive terminal (colours, live view).</summary>
    public bool IsTerminal { get; init; }

    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    public int ProcessId { get; init; } = Environment.ProcessId;

    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>Gets the random source of run id suffixes and retry jitter.</summary>
    public Random Random { get; init; } = Random.Shared;

    public static AppEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Time = TimeProvider.System,
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Variables = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal),
        IsTerminal = !Console.IsOutputRedirected,
        OpenStandardOutput = Console.OpenStandardOutput,
    };
}
