using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Output;
using Sluice.Definitions;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Cli.Tests.Output;

/// <summary>The live view's model: states, counts, attempts and elapsed times from run events, on a fake clock.</summary>
public sealed class LiveProgressStateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero));
    private readonly LiveRunEvents _events;

    public LiveProgressStateTests()
    {
        _events = new LiveRunEvents(_time);
    }

    private LiveProgressState SmallState(StepSelection? selection = null, int maxRows = 12) =>
        new(LiveRunEvents.Plan(LiveRunEvents.Small(), selection), _time, maxRows);

    private static LiveProgressRow Row(LiveProgressSnapshot snapshot, string step) => Assert.Single(snapshot.Rows, r => r.Step == step);

    [Fact]
    public void Snapshot_BeforeAnyEvent_ConsideredStepsWaitInPlanOrder_LeftOutStepsAreSkippedAndNotInTheTotal()
    {
        LiveProgressState state = SmallState(new StepSelection { Until = ["report"] });

        LiveProgressSnapshot s = state.Snapshot();

        Assert.Equal(3, s.Total);
        Assert.Equal(0, s.Done);
        Assert.Equal(3, s[LiveStepState.Waiting]);
        Assert.Equal(1, s[LiveStepState.Skipped]);
        Assert.True(s.AllShown);
        Assert.Equal(["fetch", "clean", "report"], s.Rows.Select(r => r.Step));
        Assert.All(s.Rows, r => Assert.Equal((LiveStepState.Waiting, 0, (TimeSpan?)null), (r.State, r.Attempt, r.Elapsed)));
        Assert.Null(s.RunId);
        Assert.Equal(TimeSpan.Zero, s.Elapsed);
    }

    [Fact]
    public void RunningStep_ElapsedTicksWithTheClock_AsDoesTheRun()
    {
        LiveProgressState state = SmallState();
        state.Record(_events.RunStarted());
        _time.Advance(TimeSpan.FromSeconds(1));
        state.Record(_events.Started("fetch", 1));

        _time.Advance(TimeSpan.FromMilliseconds(1500));
        LiveProgressSnapshot first = state.Snapshot();
        _time.Advance(TimeSpan.FromSeconds(1));
        LiveProgressSnapshot second = state.Snapshot();

        Assert.Equal(_events.Run, first.RunId);
        Assert.Equal((LiveStepState.Running, 1, 3), (Row(first, "fetch").State, Row(first, "fetch").Attempt, Row(first, "fetch").MaxAttempts));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Row(first, "fetch").Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), Row(second, "fetch").Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(3500), second.Elapsed);
        Assert.Equal(1, second[LiveStepState.Running]);
        Assert.Equal(3, second[LiveStepState.Waiting]);
    }

    [Fact]
    public void Retry_ShowsRetryingWithTheFailedAttemptAndWhy_ThenTheNextAttempt_ElapsedCountsFromTheFirstStart()
    {
        LiveProgressState state = SmallState();
        state.Record(_events.RunStarted());
        state.Record(_events.Started("fetch", 1));
        _time.Advance(TimeSpan.FromSeconds(1));
        state.Record(_events.Retrying("fetch", 1, "attempt 1 of 3 failed; next in 2 s", "System.Net.Http.HttpRequestException", "503 from the source\nsecond line"));

        LiveProgressSnapshot retrying = state.Snapshot();
        LiveProgressRow row = Row(retrying, "fetch");
        Assert.Equal((LiveStepState.Retrying, 1, 3), (row.State, row.Attempt, row.MaxAttempts));
        Assert.Equal("attempt 1 of 3 failed; next in 2 s: HttpRequestException: 503 from the source ...", row.Note);
        Assert.Equal(1, retrying[LiveStepState.Retrying]);
        Assert.Equal(0, retrying[LiveStepState.Running]);

        _time.Advance(TimeSpan.FromSeconds(2));
        state.Record(_events.Started("fetch", 2));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        row = Row(state.Snapshot(), "fetch");
        Assert.Equal((LiveStepState.Running, 2), (row.State, row.Attempt));
        Assert.Equal(TimeSpan.FromMilliseconds(3500), row.Elapsed);

        state.Record(_events.Succeeded("fetch", 2, TimeSpan.FromSeconds(3.6)));
        _time.Advance(TimeSpan.FromSeconds(10));
        LiveProgressSnapshot done = state.Snapshot();
        row = Row(done, "fetch");
        Assert.Equal((LiveStepState.Succeeded, 2), (row.State, row.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(3.6), row.Elapsed);
        Assert.Equal(1, done.Done);
        Assert.Equal(0, done[LiveStepState.Retrying]);
    }

    [Fact]
    public void EveryOutcome_IsCountedInItsState_AndFailuresAreHandedOutOnceForPrinting()
    {
        LiveProgressState state = SmallState();
        state.Record(_events.RunStarted());
        state.Record(_events.Skipped("fetch", "reused: checkpoint 5d1f0c2a (run 0193c2)"));
        state.Record(_events.Started("clean", 1));
        state.Record(_events.Failed("clean", 1, TimeSpan.FromMilliseconds(40), "System.InvalidOperationException", "boom\nat line 3", "no retries configured"));
        state.Record(_events.UpstreamFailed("report", "upstream step 'clean' failed"));
        state.Record(_events.Cancelled("extra", "run failed fast"));

        LiveProgressSnapshot s = state.Snapshot();

        Assert.Equal((LiveStepState.Reused, "checkpoint 5d1f0c2a (run 0193c2)"), (Row(s, "fetch").State, Row(s, "fetch").Note));
        Assert.Equal((LiveStepState.Failed, "InvalidOperationException: boom ...", (TimeSpan?)TimeSpan.FromMilliseconds(40)), (Row(s, "clean").State, Row(s, "clean").Note, Row(s, "clean").Elapsed));
        Assert.Equal((LiveStepState.NotRun, "upstream step 'clean' failed"), (Row(s, "report").State, Row(s, "report").Note));
        Assert.Equal(LiveStepState.Cancelled, Row(s, "extra").State);
        Assert.Equal([0, 0, 0, 0, 1, 1, 0, 1, 1], s.Counts);
        Assert.Equal(4, s.Done);
        Assert.Equal(4, s.Total);

        RunEvent failure = Assert.Single(state.TakeFailures());
        Assert.Equal(("clean", "boom\nat line 3"), (failure.Step, failure.ErrorMessage));
        Assert.Empty(state.TakeFailures());
    }

    [Fact]
    public void RunEnd_FreezesTheRunsElapsedAtItsDuration()
    {
        LiveProgressState state = SmallState();
        state.Record(_events.RunStarted());
        _time.Advance(TimeSpan.FromSeconds(2));
        state.Record(_events.RunEnded(RunEventKind.RunSucceeded, TimeSpan.FromSeconds(2), "4 steps succeeded"));
        _time.Advance(TimeSpan.FromMinutes(5));

        LiveProgressSnapshot s = state.Snapshot();

        Assert.Equal(TimeSpan.FromSeconds(2), s.Elapsed);
        Assert.Equal(RunEventKind.RunSucceeded, s.End?.Kind);
    }

    [Fact]
    public void LargeRun_SnapshotHoldsTheRunningFailedAndRecentSteps_WithinTheRowBudget_NotEveryStep()
    {
        const int Steps = 10_000;
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Wide(Steps)), _time, maxRows: 12);
        state.Record(_events.RunStarted());
        for (int i = 0; i < 6_000; i++)
        {
            string step = LiveRunEvents.WideName(i);
            state.Record(_events.Started(step, 1));
            state.Record(i is 10 or 20 or 30
                ? _events.Failed(step, 1, TimeSpan.FromMilliseconds(1), "System.IO.IOException", $"disk {i}", "no retries configured")
                : _events.Succeeded(step, 1, TimeSpan.FromMilliseconds(1)));
        }

        state.Record(_events.Started(LiveRunEvents.WideName(6_000), 1));
        state.Record(_events.Started(LiveRunEvents.WideName(6_001), 1));

        LiveProgressSnapshot s = state.Snapshot();

        Assert.False(s.AllShown);
        Assert.Equal(12, s.Rows.Count);
        Assert.Equal(Steps, s.Total);
        Assert.Equal(6_000, s.Done);
        Assert.Equal((5_997, 3, 2, 3_998), (s[LiveStepState.Succeeded], s[LiveStepState.Failed], s[LiveStepState.Running], s[LiveStepState.Waiting]));

        // Drawn like a log's tail: older failures first, then the latest finishes, the running steps last.
        Assert.Equal(["s00010", "s00020", "s00030"], s.Rows.Take(3).Select(r => r.Step));
        Assert.Equal([LiveRunEvents.WideName(6_000), LiveRunEvents.WideName(6_001)], s.Rows.TakeLast(2).Select(r => r.Step));
        Assert.Equal(Enumerable.Range(5_993, 7).Select(LiveRunEvents.WideName), s.Rows.Skip(3).Take(7).Select(r => r.Step));
        Assert.Equal(3, state.FailedRows(20).Count);
    }

    [Fact]
    public void LargeRun_ManyRunningSteps_FillTheBudgetBeforeAnythingElse()
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Wide(100)), _time, maxRows: 5);
        state.Record(_events.RunStarted());
        state.Record(_events.Started("s00000", 1));
        state.Record(_events.Failed("s00000", 1, TimeSpan.Zero, "System.Exception", "x", "no retries configured"));
        for (int i = 1; i <= 8; i++)
        {
            state.Record(_events.Started(LiveRunEvents.WideName(i), 1));
        }

        LiveProgressSnapshot s = state.Snapshot();

        Assert.Equal(Enumerable.Range(1, 5).Select(LiveRunEvents.WideName), s.Rows.Select(r => r.Step));
        Assert.Equal(8, s[LiveStepState.Running]);
    }
}

/// <summary>Run events as the coordinator emits them, stamped with a fake clock; and the small pipelines the live view's tests run.</summary>
internal sealed class LiveRunEvents(FakeTimeProvider time)
{
    public RunId Run { get; } = RunId.New(time.GetUtcNow(), 1);

    public static Pipeline Small() => Pipeline.Define("small", p =>
    {
        Artifact<int> fetch = p.Step("fetch").WithRetry(r => r.MaxAttempts = 3).Executes(ctx => 1);
        Artifact<int> clean = p.Step("clean").Executes(fetch, (ctx, x) => x);
        p.Step("report").Executes(clean, (ctx, x) => x);
        p.Step("extra").Executes(ctx => 2);
    });

    public static Pipeline Wide(int steps) => Pipeline.Define("wide", p =>
    {
        for (int i = 0; i < steps; i++)
        {
            p.Step(WideName(i)).Executes(ctx => 0);
        }
    });

    public static string WideName(int i) => $"s{i:00000}";

    public static ExecutionPlan Plan(Pipeline pipeline, StepSelection? selection = null) =>
        Planner.Plan(new PipelineGraph(pipeline), selection ?? StepSelection.All);

    public RunEvent RunStarted() => Event(RunEventKind.RunStarted, reason: "4 of 4 steps to run");

    public RunEvent RunEnded(RunEventKind kind, TimeSpan duration, string reason) => Event(kind, duration: duration, reason: reason);

    public RunEvent Started(string step, int attempt) => Event(RunEventKind.StepStarted, step, attempt);

    public RunEvent Retrying(string step, int attempt, string reason, string type, string message) =>
        Event(RunEventKind.StepRetrying, step, attempt, errorType: type, message: message, reason: reason);

    public RunEvent Succeeded(string step, int attempt, TimeSpan duration) => Event(RunEventKind.StepSucceeded, step, attempt, duration);

    public RunEvent Failed(string step, int attempt, TimeSpan duration, string type, string message, string reason) =>
        Event(RunEventKind.StepFailed, step, attempt, duration, type, message, reason);

    public RunEvent Skipped(string step, string reason) => Event(RunEventKind.StepSkipped, step, reason: reason);

    public RunEvent UpstreamFailed(string step, string reason) => Event(RunEventKind.StepUpstreamFailed, step, reason: reason);

    public RunEvent Cancelled(string step, string reason) => Event(RunEventKind.StepCancelled, step, reason: reason);

    private RunEvent Event(RunEventKind kind, string? step = null, int? attempt = null, TimeSpan? duration = null, string? errorType = null, string? message = null, string? reason = null) =>
        new(Run, time.GetUtcNow(), kind, step, attempt, duration, errorType, message, reason);
}
