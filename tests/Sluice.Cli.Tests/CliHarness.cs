using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Hosting;
using Sluice.Definitions;

namespace Sluice.Cli.Tests;

/// <summary>Runs the command line in-process against a real project folder and a real SQLite store, on a fake clock.</summary>
internal sealed class CliHarness(string projectRoot)
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero));

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets whether the command believes its output is a terminal (the live view's precondition).</summary>
    public bool IsTerminal { get; set; }

    public async Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new AppEnvironment
        {
            Out = output,
            Error = error,
            Time = Time,
            WorkingDirectory = projectRoot,
            Variables = Variables,
            IsTerminal = IsTerminal,
            ProcessorCount = 2,
            ProcessId = 4242,
            HostName = "test-host",
            Random = new Random(Seed++),
        };
        int exit = await PipelineApp.RunAsync(args, define, null, env, CancellationToken.None);

        // Commands happen one after another, as a person types them: 'last' is then the newest run.
        Time.Advance(TimeSpan.FromSeconds(1));
        return (exit, output.ToString(), error.ToString());
    }
}
