using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Alerts;

// The engine's own alerts, raised through the real coordinator on a fake clock.
public class EngineAlertTests
{
    [Fact]
    public async Task StepFailsEveryAttempt_RaisesStepFailedOnlyAfterTheLastOne()
    {
        var harness = new RunHarness();
        var alerts = new RecordingPublisher();
        harness.Options.Alerts = alerts;
        Pipeline pipeline = Pipeline.Define("flaky-feed", p => p.Step("ingest")
            .WithRetry(r => { r.MaxAttempts = 3; r.UseJitter = false; })
            .Executes(ctx => ctx.Attempt > 0 ? throw new IOException($"feed down ({ctx.Attempt})") : 0));

        Task<RunResult> run = harness.StartAsync(pipeline);
        foreach (int seconds in new[] { 1, 2 })
        {
            // Attempt n has failed and its retry is waiting: a failure that will be retried raises nothing.
            TimeSpan due = await harness.Clock.NextTimerAsync();
            Assert.Equal(TimeSpan.FromSeconds(seconds), due);
            Assert.Empty(alerts.Alerts);
            harness.Clock.Advance(due);
        }

        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(["step-failed ingest", "run-failed ingest"], alerts.Alerts.Select(a => $"{a.Kind} {a.Step}"));
        Alert stepFailed = alerts.Alerts[0];
        Assert.Equal(("flaky-feed", harness.RunId), (stepFailed.Pipeline, stepFailed.RunId));
        Assert.Equal("Step 'ingest' of flaky-feed failed", stepFailed.Title);
        Assert.Equal($"Step 'ingest' failed in run {harness.RunId} (failed after 3 of 3 attempts): IOException: feed down (3)", stepFailed.Message);
        Assert.Equal("3", stepFailed.Details["attempts"]);
        Assert.Equal("System.IO.IOException", stepFailed.Details["error_type"]);
        Assert.Equal($"Run {harness.RunId} of flaky-feed failed: step 'ingest' failed. See 'show {harness.RunId}'.", alerts.Alerts[1].Message);
    }

    [Fact]
    public async Task StepRecoversOnRetry_RaisesNoFailure()
    {
        var harness = new RunHarness();
        var alerts = new RecordingPublisher();
        harness.Options.Alerts = alerts;
        Pipeline pipeline = Pipeline.Define("flaky-feed", p => p.Step("ingest")
            .WithRetry(r => { r.MaxAttempts = 3; r.UseJitter = false; })
            .Executes(ctx => ctx.Attempt < 2 ? throw new IOException("feed down") : ctx.Attempt));

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(1));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["run-succeeded"], alerts.Alerts.Select(a => a.Kind.Name));
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(true, new[] { "run-succeeded" })]
    public async Task SucceededRun_DeliversRunSucceededOnlyWhenEnabled(bool onSuccess, string[] expected)
    {
        var harness = new RunHarness();
        var sink = new ScriptedSink("ops");
        AlertSettings settings = AlertDispatcherTests.Settings("ops");
        settings.OnSuccess = onSuccess;
        await using var dispatcher = new AlertDispatcher(settings, [sink], new InMemoryAlertStore(), harness.Clock);
        harness.Options.Alerts = dispatcher;

        RunResult result = await harness.RunAsync(Pipeline.Define("daily", p => p.Step("only").Executes(_ => 1)));
        await dispatcher.DrainAsync(TimeSpan.FromMinutes(1)).WaitAsync(Watchdog.Limit);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(expected, sink.Delivered.Select(a => a.Kind.Name));
    }

    [Fact]
    public async Task StepRaisesDataQuality_ReachesThePublisherWithRunStepAndDetails()
    {
        var harness = new RunHarness();
        var alerts = new RecordingPublisher();
        harness.Options.Alerts = alerts;
        Pipeline pipeline = Pipeline.Define("forecaster", p => p.Step("clean").Executes(ctx =>
        {
            ctx.Alerts.Raise(AlertKind.DataQuality, "3 missing trading days: 2026-11-02, 2026-11-03, 2026-11-04", details: new Dictionary<string, string> { ["ticker"] = "SPX" });
            ctx.Alerts.Raise(AlertKind.Custom("price-spike"), "SPX moved 9 sigma", title: "Price spike in SPX");
            return 1;
        }));

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Alert quality = alerts.Alerts[0];
        Assert.Equal((AlertKind.DataQuality, "forecaster", harness.RunId, "clean"), (quality.Kind, quality.Pipeline, quality.RunId, quality.Step));
        Assert.Equal("data-quality in forecaster, step 'clean'", quality.Title);
        Assert.Equal("SPX", quality.Details["ticker"]);
        Assert.Equal(harness.Clock.GetUtcNow(), quality.At);
        Assert.Equal(("price-spike", "Price spike in SPX"), (alerts.Alerts[1].Kind.Name, alerts.Alerts[1].Title));
    }

    [Fact]
    public async Task StepRaisesAKindSluiceOwns_FailsTheStepWithAClearMessage()
    {
        var harness = new RunHarness();
        harness.Options.Alerts = new RecordingPublisher();
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("clean").Executes(ctx =>
        {
            ctx.Alerts.Raise(AlertKind.RunFailed, "pretend");
            return 1;
        }));

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Failed, result.Status);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("clean"));
        Assert.StartsWith("'run-failed' alerts are raised by Sluice itself", attempt.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_NameNotLowerCaseWithDashes_IsRefused()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => AlertKind.Custom("Price Spike"));
        Assert.StartsWith("'Price Spike' is not an alert kind name", e.Message, StringComparison.Ordinal);
        Assert.Equal(AlertKind.DataQuality, AlertKind.Custom("data-quality"));
    }
}
