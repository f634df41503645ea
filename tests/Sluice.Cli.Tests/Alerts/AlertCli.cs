using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Hosting;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>Runs the command line in-process on a project folder with a chosen clock: a fake one to step through backoff, the real one to measure timeouts.</summary>
internal sealed class AlertCli(string projectRoot, TimeProvider time)
{
    private int _seed = 7;

    public TimeProvider Time => time;

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, params string[] args) =>
        RunAsync(define, CancellationToken.None, args);

    public async Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new AppEnvironment
        {
            Out = output,
            Error = error,
            Time = time,
            WorkingDirectory = projectRoot,
            Variables = Variables,
            IsTerminal = false,
            ProcessorCount = 2,
            ProcessId = 4242,
            HostName = "test-host",
            Random = new Random(_seed++),
        };
        // On a fake clock a delivery that keeps failing waits for ever: fail the test instead of hanging it.
        int exit = await PipelineApp.RunAsync(args, define, null, env, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        if (time is FakeTimeProvider fake)
        {
            // Commands happen one after another, as a person types them: 'last' is then the newest run.
            fake.Advance(TimeSpan.FromSeconds(1));
        }

        return (exit, output.ToString(), error.ToString());
    }
}
