using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Hosting;
using Sluice.Definitions;

namespace Sluice.Cli.Tests;

/// <summary>Runs the command line in-process against a real project folder and a real SQLite store, on a fake clock unless given another.</summary>
/// <param name="projectRoot">The project folder commands run in.</param>
/// <param name="clock">The clock commands see; null for <see cref="Time"/>, a fake one.</param>
/// <param name="services">The application's services, as <c>PipelineApp.RunAsync</c> takes them.</param>
internal sealed class CliHarness(string projectRoot, TimeProvider? clock = null, IServiceProvider? services = null)
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero));

    /// <summary>Gets the clock commands see: <see cref="Time"/> unless another was given.</summary>
    public TimeProvider Clock => clock ?? Time;

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets whether the command believes its output is a terminal (the live view's precondition).</summary>
    public bool IsTerminal { get; set; }

    public Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, params string[] args) =>
        RunAsync(define, CancellationToken.None, args);

    public async Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new AppEnvironment
        {
            // Exporters and alert sinks may write from other threads.
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            Time = Clock,
            WorkingDirectory = projectRoot,
            Variables = Variables,
            IsTerminal = IsTerminal,
            ProcessorCount = 2,
            ProcessId = 4242,
            HostName = "test-host",
            Random = new Random(Seed++),
        };

        // On a fake clock, work that waits for time to pass (a retried delivery) waits for ever: fail the test instead of hanging it.
        int exit = await PipelineApp.RunAsync(args, define, services, env, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        if (Clock is FakeTimeProvider fake)
        {
            // Commands happen one after another, as a person types them: 'last' is then the newest run.
            fake.Advance(TimeSpan.FromSeconds(1));
        }

        return (exit, output.ToString(), error.ToString());
    }
}
