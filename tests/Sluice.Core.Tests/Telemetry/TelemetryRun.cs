using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Telemetry;

/// <summary>A small pipeline that exercises every telemetry path, run through the real coordinator on a fake clock.</summary>
/// <remarks>load records a measurement and logs; flaky fails once then succeeds; broken fails for good; after-broken is not run.</remarks>
internal sealed class TelemetryRun
{
    public TelemetryRun(string pipeline) => Pipeline = Define(pipeline);

    public Pipeline Pipeline { get; }

    public SummaryKeepingStore Store { get; } = new();

    public TestClock Clock { get; } = new();

    public RunOptions Options { get; } = new() { KeepGoing = true };

    public RunId RunId { get; } = RunId.New(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), 0x7e1e);

    /// <summary>Gets what the step 'load' saw as the current activity and the logger factory's loggers, set while it ran.</summary>
    public System.Diagnostics.Activity? LoadActivity { get; private set; }

    public async Task<RunResult> RunAsync(IReadOnlyList<IRunObserver>? observers = null)
    {
        ExecutionPlan plan = Planner.Plan(new PipelineGraph(Pipeline), StepSelection.All);
        var coordinator = new RunCoordinator(Store, Clock, observers ?? [], Options);
        var run = new RunRecord(RunId, Pipeline.Name, RunStatus.Pending, Clock.GetUtcNow(), null, "sluice run", "test-host", 4242, null);
        return await Task.Run(() => coordinator.RunAsync(plan, run, new Dictionary<string, object>(), CancellationToken.None)).WaitAsync(Watchdog.Limit);
    }

    private Pipeline Define(string name) => Pipeline.Define(name, p =>
    {
        Artifact<int> load = p.Step("load").Executes(ctx =>
        {
            LoadActivity = System.Diagnostics.Activity.Current;
            ctx.Metrics.Record("rows_ingested", 5105);
            ctx.Metrics.Record("rmse", 0.0123, "ratio");
            ctx.Logger.LogInformation("Read {Rows} rows from {Source}", 5105, "prices.csv");

            // As a class step's injected logger would: a logger of the host's factory, not ctx.Logger.
            (ctx.Services.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger("MyApp.Loader").LogInformation("loader done");
            return 1;
        });
        p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 2; r.Delay = TimeSpan.Zero; r.UseJitter = false; })
            .Executes(load, (ctx, x) => ctx.Attempt == 1 ? throw new InvalidOperationException("flaky broke") : x + 1);
        Artifact<int> broken = p.Step("broken").Executes(load, (ctx, x) => x > 0 ? throw new InvalidOperationException("broken for good") : x);
        p.Step("after-broken").Executes(broken, (ctx, x) => x);
    });
}
