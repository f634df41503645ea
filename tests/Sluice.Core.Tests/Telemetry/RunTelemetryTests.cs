using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Telemetry;

[Collection(ListenerCollection.Name)]
public sealed class RunTelemetryTests
{
    [Fact]
    public async Task Run_MeterListening_RecordsEveryInstrumentTaggedByPipelineStepAndOutcome()
    {
        var run = new TelemetryRun("metered");
        using var capture = new TelemetryCapture("metered", activities: false);

        RunResult result = await run.RunAsync();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(
            [("broken", "failed"), ("flaky", "succeeded"), ("load", "succeeded")],
            capture.Of(SluiceTelemetry.StepDuration).Select(m => (m.Step, m.Outcome)).Order());
        Assert.All(capture.Of(SluiceTelemetry.StepDuration), m => Assert.Equal("s", m.Unit));
        Assert.Equal(
            [("broken", "failed"), ("flaky", "failed"), ("flaky", "succeeded"), ("load", "succeeded")],
            capture.Of(SluiceTelemetry.StepAttempts).Select(m => (m.Step, m.Outcome)).Order());
        Assert.Equal(["flaky"], capture.Of(SluiceTelemetry.StepRetries).Select(m => m.Step));
        Assert.Equal(["broken"], capture.Of(SluiceTelemetry.StepFailures).Select(m => m.Step));
        TelemetryCapture.Measured runDuration = Assert.Single(capture.Of(SluiceTelemetry.RunDuration));
        Assert.Equal("failed", runDuration.Outcome);

        // A step's own measurements are exported with the step and the measurement's name (and unit) as tags.
        var measured = capture.Of(SluiceTelemetry.StepMeasurement).ToDictionary(m => m.Tags["measurement"]!);
        Assert.Equal(5105, measured["rows_ingested"].Value);
        Assert.Equal("load", measured["rows_ingested"].Step);
        Assert.Equal(0.0123, measured["rmse"].Value);
        Assert.Equal("ratio", measured["rmse"].Tags["unit"]);
    }

    [Fact]
    public async Task Run_ActivityListening_OneRunActivityWithAChildPerAttempt()
    {
        var run = new TelemetryRun("traced");
        using var capture = new TelemetryCapture("traced", meters: false);

        await run.RunAsync();

        Activity runActivity = Assert.Single(capture.Activities, a => a.OperationName == SluiceTelemetry.RunActivity);
        Assert.Equal("run traced", runActivity.DisplayName);
        Assert.Equal(run.RunId.Value, runActivity.GetTagItem("sluice.run_id"));
        Assert.Equal(ActivityStatusCode.Error, runActivity.Status);
        Activity[] attempts = [.. capture.Activities.Where(a => a.OperationName == SluiceTelemetry.AttemptActivity)];
        Assert.Equal(
            ["broken#1", "flaky#1", "flaky#2", "load#1"],
            attempts.Select(a => $"{a.GetTagItem("sluice.step")}#{a.GetTagItem("sluice.attempt")}").Order());
        Assert.All(attempts, a => Assert.Equal(runActivity.SpanId, a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal(runActivity.TraceId, a.TraceId));

        Activity failed = attempts.Single(a => (string?)a.GetTagItem("sluice.step") == "flaky" && (int?)a.GetTagItem("sluice.attempt") == 1);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("flaky broke", failed.StatusDescription);
        Assert.Equal("failed", failed.GetTagItem("sluice.outcome"));
        ActivityEvent exception = Assert.Single(failed.Events);
        Assert.Equal("System.InvalidOperationException", exception.Tags.Single(t => t.Key == "exception.type").Value);
        Assert.Equal(ActivityStatusCode.Ok, attempts.Single(a => (string?)a.GetTagItem("sluice.step") == "load").Status);

        // The step's code runs inside its attempt's activity, so what it traces itself nests under it.
        Assert.NotNull(run.LoadActivity);
        Assert.Equal("step load", run.LoadActivity.DisplayName);
    }

    [Fact]
    public async Task Run_LoggerFactory_EngineMessagesCarryRunStepAndAttempt_AndStepLinesGoToTheHost()
    {
        var sink = new CapturingLoggerProvider();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        var run = new TelemetryRun("logged");
        run.Options.LoggerFactory = factory;
        run.Options.Services = new FactoryServices(factory);

        await run.RunAsync();

        IReadOnlyList<CapturingLoggerProvider.Entry> engine = [.. sink.Entries.Where(e => e.Category == Log.EngineCategory)];
        Assert.Equal(
            [1001, 2001, 2010, 2010, 2002, 2001, 2003, 2001, 2002, 2001, 2004, 2007, 1003],
            engine.Select(e => e.EventId.Id));
        Assert.All(engine, e => Assert.Equal(run.RunId.Value, e["RunId"]));
        CapturingLoggerProvider.Entry retrying = engine.Single(e => e.EventId.Id == 2003);
        Assert.Equal(("flaky", 1, LogLevel.Warning), (retrying["Step"], retrying["Attempt"], retrying.Level));
        Assert.Equal("StepRetrying", retrying.EventId.Name);
        Assert.Contains("flaky broke", retrying.Message, StringComparison.Ordinal);
        CapturingLoggerProvider.Entry failed = engine.Single(e => e.EventId.Id == 2004);
        Assert.Equal(("broken", 1, LogLevel.Error), (failed["Step"], failed["Attempt"], failed.Level));

        // ctx.Logger's line reaches the host with its own properties and the attempt's.
        CapturingLoggerProvider.Entry line = Assert.Single(sink.Entries, e => e.Category == Log.StepCategory);
        Assert.Equal("Read 5105 rows from prices.csv", line.Message);
        Assert.Equal((5105, "prices.csv"), (line.Properties["Rows"], line.Properties["Source"]));
        Assert.Equal((run.RunId.Value, "load", 1, "logged"), (line.Properties["RunId"], line.Properties["Step"], line.Properties["Attempt"], line.Properties["Pipeline"]));

        // Any logger of the host's factory used inside the attempt is in its scope.
        CapturingLoggerProvider.Entry own = Assert.Single(sink.Entries, e => e.Category == "MyApp.Loader");
        Assert.Equal((run.RunId.Value, "load", 1), (own.ScopeProperties["RunId"], own.ScopeProperties["Step"], own.ScopeProperties["Attempt"]));
    }

    [Fact]
    public async Task Run_SecretInAStepsLogLine_IsRedactedBeforeTheHostSeesIt()
    {
        var sink = new CapturingLoggerProvider();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        var run = new TelemetryRun("redacted");
        run.Options.LoggerFactory = factory;
        run.Options.Redactor = new Secrets.SecretRedactor();
        run.Options.Redactor.Add("prices.csv");

        await run.RunAsync();

        CapturingLoggerProvider.Entry line = Assert.Single(sink.Entries, e => e.Category == Log.StepCategory);
        Assert.Equal("Read 5105 rows from ***", line.Message);
        Assert.Equal("***", line.Properties["Source"]);
        Assert.Equal(5105, line.Properties["Rows"]);
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains("prices.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_SummaryWrittenOnceAtTheEnd_WithEngineFiguresAndTheStepsOwnMeasurements()
    {
        var run = new TelemetryRun("summarised");

        RunResult result = await run.RunAsync();

        Assert.Equal(1, run.Store.SummaryWrites);
        IReadOnlyList<RunMeasurement> kept = await run.Store.GetMeasurementsAsync(run.RunId);
        Dictionary<string, double> engine = kept.Where(m => m.Source == MeasurementSource.Engine).ToDictionary(m => m.Name, m => m.Value);
        Assert.All(kept.Where(m => m.Source == MeasurementSource.Engine), m => Assert.Null(m.Step));
        Assert.Equal(3, engine[EngineMeasurements.StepsRun]);
        Assert.Equal(2, engine[EngineMeasurements.StepsSucceeded]);
        Assert.Equal(1, engine[EngineMeasurements.StepsFailed]);
        Assert.Equal(1, engine[EngineMeasurements.StepsUpstreamFailed]);
        Assert.Equal(0, engine[EngineMeasurements.StepsReused]);
        Assert.Equal(4, engine[EngineMeasurements.Attempts]);
        Assert.Equal(1, engine[EngineMeasurements.Retries]);
        Assert.Equal(result.Duration.TotalSeconds, engine[EngineMeasurements.RunDuration]);
        Assert.Equal(12, engine.Count);
        Assert.Equal(
            [new RunMeasurement("load", "rmse", 0.0123, "ratio", MeasurementSource.Step, 1), new RunMeasurement("load", "rows_ingested", 5105, null, MeasurementSource.Step, 1)],
            kept.Where(m => m.Source == MeasurementSource.Step).OrderBy(m => m.Name));
    }

    [Fact]
    public void Observing_NothingListening_IsOff_SoTheRunAddsNoObserver()
    {
        var options = new RunOptions();
        var quiet = new RunTelemetry("quiet", RunId.New(DateTimeOffset.UnixEpoch, 1), options, new InMemoryRunStore());
        Assert.False(quiet.Observing);

        using (new TelemetryCapture("quiet", activities: false))
        {
            Assert.True(new RunTelemetry("quiet", RunId.New(DateTimeOffset.UnixEpoch, 1), options, new InMemoryRunStore()).Observing);
        }

        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(new CapturingLoggerProvider()));
        options.LoggerFactory = factory;
        Assert.True(new RunTelemetry("quiet", RunId.New(DateTimeOffset.UnixEpoch, 1), options, new InMemoryRunStore()).Observing);
    }

    [Fact]
    public async Task Run_NothingListening_StillKeepsTheSummary_AndTheStepSeesNoActivity()
    {
        var run = new TelemetryRun("unwatched");

        await run.RunAsync();

        Assert.Null(run.LoadActivity);
        Assert.Contains(await run.Store.GetMeasurementsAsync(run.RunId), m => m.Name == "rows_ingested" && m.Value == 5105);
    }

    private sealed class FactoryServices(ILoggerFactory factory) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(ILoggerFactory) ? factory : null;
    }
}
