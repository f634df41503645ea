using Sluice.Definitions;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>Runs the command line in-process on a project folder with a chosen clock: a fake one to step through backoff, the real one to measure timeouts.</summary>
internal sealed class AlertCli(string projectRoot, TimeProvider time)
{
    private readonly CliHarness _cli = new(projectRoot, time) { Seed = 7 };

    public TimeProvider Time => time;

    public Dictionary<string, string> Variables => _cli.Variables;

    public Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, params string[] args) =>
        _cli.RunAsync(define, CancellationToken.None, args);

    public Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, CancellationToken cancellationToken, params string[] args) =>
        _cli.RunAsync(define, cancellationToken, args);
}
