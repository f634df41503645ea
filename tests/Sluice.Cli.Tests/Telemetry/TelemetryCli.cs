using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Telemetry;

/// <summary>Runs the command line in-process on a real project folder and store, with the application's services, on a fake clock.</summary>
internal sealed class TelemetryCli(string projectRoot, IServiceProvider? services = null)
{
    private readonly CliHarness _cli = new(projectRoot, services: services) { Seed = 7 };

    public FakeTimeProvider Time => _cli.Time;

    public Dictionary<string, string> Variables => _cli.Variables;

    public Task<(int Exit, string Out, string Error)> RunAsync(Func<Pipeline> define, params string[] args) => _cli.RunAsync(define, args);

    /// <summary>Returns a loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A pipeline that logs, records measurements and fails once: enough to show every telemetry path.</summary>
    /// <param name="name">The pipeline's name: tests listening to the process-wide meter tell their own run by it.</param>
    /// <param name="holdLoad">When set, 'measure' waits for it after recording, so a test can look while the run is in progress.</param>
    public static Pipeline Measured(string name, Task? holdLoad = null) => Pipeline.Define(name, p =>
    {
        Artifact<int> load = p.Step("load")
            .WithRetry(r => { r.MaxAttempts = 2; r.Delay = TimeSpan.Zero; r.UseJitter = false; })
            .Executes(ctx =>
            {
                ctx.Logger.LogInformation("Read {Rows} rows", 5105);
                if (ctx.Attempt == 1)
                {
                    ctx.Logger.LogWarning(new EventId(17, "SourceSlow"), "source slow, giving up on attempt {Attempt}", ctx.Attempt);
                    throw new InvalidOperationException("source timed out");
                }

                ctx.Metrics.Record("rows_ingested", 5105);
                return 5105;
            });
        p.Step("measure").Executes(load, async (ctx, rows) =>
        {
            ctx.Metrics.Record("rmse", 0.0123, "ratio");
            ctx.Logger.LogError(new InvalidOperationException("model wobble"), "fit had a problem with {Rows} rows", rows);
            if (holdLoad is not null)
            {
                await holdLoad.WaitAsync(TimeSpan.FromSeconds(60), ctx.CancellationToken);
            }

            return rows / 2;
        });
    });
}
