using Sluice.Execution;
using Sluice.Secrets;
using Sluice.State;
using static Sluice.Alerts.ScriptedSink.Answer;

namespace Sluice.Alerts;

// The dispatcher runs on a fake clock: backoff delays, attempt timeouts and the drain limit pass only when a test
// advances the clock past a timer it has seen armed, so each delay is checked as it is awaited and nothing sleeps.
public class AlertDispatcherTests
{
    private static readonly RunId Run = RunId.New(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), 0x3f9a);
    private static readonly RunId OtherRun = RunId.New(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero), 0x0001);

    [Fact]
    public async Task Publish_SinkFailsThreeTimes_RetriesWithExponentialBackoffAndRecordsFourAttempts()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops", Fail, Fail, Fail);
        await using var dispatcher = new AlertDispatcher(Settings(sinks: "ops"), [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        Task<AlertDrainResult> drain = dispatcher.DrainAsync(TimeSpan.FromMinutes(5));
        foreach (int seconds in new[] { 1, 2, 4 })
        {
            await AdvanceWhenArmedAsync(clock, TimeSpan.FromSeconds(seconds));
        }

        AlertDrainResult result = await drain.WaitAsync(Watchdog.Limit);

        Assert.Equal(4, sink.Received.Count);
        Assert.Single(sink.Delivered);
        IReadOnlyList<AlertDeliveryAttempt> attempts = store.Attempts;
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a.Attempt));
        Assert.Equal([AlertDeliveryOutcome.Failed, AlertDeliveryOutcome.Failed, AlertDeliveryOutcome.Failed, AlertDeliveryOutcome.Delivered], attempts.Select(a => a.Outcome));
        Assert.Equal("ops is down (call 2)", attempts[1].Error);
        Assert.Null(attempts[3].Error);
        Assert.Equal([1.0, 2.0, 4.0], attempts.Zip(attempts.Skip(1), (a, b) => (b.At - a.At).TotalSeconds));
        AlertDelivery delivery = Assert.Single(result.Deliveries);
        Assert.Equal((AlertDeliveryOutcome.Delivered, 4, 0), (delivery.Outcome, delivery.Attempts, result.GaveUp));
    }

    [Fact]
    public async Task Publish_AttemptRunsPastItsTimeout_IsRecordedTimedOutAndRetried()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops", Hang);
        await using var dispatcher = new AlertDispatcher(Settings(sinks: "ops"), [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        Task<AlertDrainResult> drain = dispatcher.DrainAsync(TimeSpan.FromMinutes(5));
        await AdvanceWhenArmedAsync(clock, TimeSpan.FromSeconds(30));
        await AdvanceWhenArmedAsync(clock, TimeSpan.FromSeconds(1));
        await drain.WaitAsync(Watchdog.Limit);

        Assert.Equal([AlertDeliveryOutcome.TimedOut, AlertDeliveryOutcome.Delivered], store.Attempts.Select(a => a.Outcome));
        Assert.Equal("no answer within the attempt timeout of 30.0 s", store.Attempts[0].Error);
        Assert.Equal(TimeSpan.FromSeconds(30), store.Attempts[0].Duration);
    }

    [Fact]
    public async Task Publish_SinkRefuses_IsRecordedRejectedAndNeverRetried()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops", Refuse);
        await using var dispatcher = new AlertDispatcher(Settings(sinks: "ops"), [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        AlertDrainResult result = await DrainWithoutAdvancingAsync(dispatcher);

        AlertDeliveryAttempt attempt = Assert.Single(store.Attempts);
        Assert.Equal((AlertDeliveryOutcome.Rejected, "ops refuses"), (attempt.Outcome, attempt.Error));
        Assert.DoesNotContain(clock.Armed, due => due < TimeSpan.FromSeconds(30));
        Assert.Equal(AlertDeliveryOutcome.Rejected, Assert.Single(result.Deliveries).Outcome);
    }

    [Fact]
    public async Task Publish_SameKindTwiceInOneRun_DeliversOneAlertToEachSink()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var ops = new ScriptedSink("ops");
        var mail = new ScriptedSink("mail");
        await using var dispatcher = new AlertDispatcher(Settings(sinks: ["ops", "mail"]), [ops, mail], store, clock);

        dispatcher.Publish(StepFailed(Run, "left", clock));
        dispatcher.Publish(StepFailed(Run, "right", clock));
        dispatcher.Publish(RunFailed(Run, clock));
        dispatcher.Publish(StepFailed(OtherRun, "left", clock));
        await DrainWithoutAdvancingAsync(dispatcher);

        foreach (ScriptedSink sink in new[] { ops, mail })
        {
            Assert.Equal(
                ["step-failed left " + Run, "run-failed  " + Run, "step-failed left " + OtherRun],
                sink.Delivered.Select(a => $"{a.Kind} {a.Step} {a.RunId}"));
        }

        Assert.Equal(3, store.Alerts.Count);
        Assert.Equal(6, store.Attempts.Count);
    }

    [Fact]
    public async Task Publish_AlertAnotherProcessRecorded_IsNotDeliveredAgain()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        await store.TryRecordAlertAsync(StepFailed(Run, "clean", clock));
        var sink = new ScriptedSink("ops");
        await using var dispatcher = new AlertDispatcher(Settings(sinks: "ops"), [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        AlertDrainResult result = await DrainWithoutAdvancingAsync(dispatcher);

        Assert.Empty(sink.Received);
        Assert.Empty(result.Deliveries);
        Assert.Empty(store.Attempts);
    }

    [Fact]
    public async Task Publish_SinkTakesOtherKinds_GoesOnlyToSinksThatTakeIt()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var pager = new ScriptedSink("pager");
        var everything = new ScriptedSink("everything");
        AlertSettings settings = Settings(sinks: ["pager", "everything"]);
        settings.Sinks["pager"].Kinds.Add("run-failed");
        await using var dispatcher = new AlertDispatcher(settings, [pager, everything], store, clock);

        dispatcher.Publish(new Alert(AlertKind.DataQuality, "p", Run, "clean", "t", "3 missing trading days", clock.GetUtcNow(), new Dictionary<string, string>()));
        dispatcher.Publish(RunFailed(Run, clock));
        await DrainWithoutAdvancingAsync(dispatcher);

        Assert.Equal(["run-failed"], pager.Delivered.Select(a => a.Kind.Name));
        Assert.Equal(["data-quality", "run-failed"], everything.Delivered.Select(a => a.Kind.Name));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Publish_RunSucceeded_IsRaisedOnlyWhenOnSuccessIsSet(bool onSuccess, int delivered)
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops");
        AlertSettings settings = Settings(sinks: "ops");
        settings.OnSuccess = onSuccess;
        await using var dispatcher = new AlertDispatcher(settings, [sink], store, clock);

        dispatcher.Publish(new Alert(AlertKind.RunSucceeded, "p", Run, null, "ok", "3 steps succeeded", clock.GetUtcNow(), new Dictionary<string, string>()));
        await DrainWithoutAdvancingAsync(dispatcher);

        Assert.Equal(delivered, sink.Delivered.Count);
        Assert.Equal(delivered, store.Alerts.Count);
    }

    [Fact]
    public async Task Drain_SinkNeverAnswers_GivesUpAtTheLimitAndRecordsTheAttemptAbandoned()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops", Hang);
        AlertSettings settings = Settings(sinks: "ops");
        settings.Delivery.AttemptTimeout = TimeSpan.FromMinutes(10);
        await using var dispatcher = new AlertDispatcher(settings, [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        await Eventually(() => sink.Received.Count == 1);
        Task<AlertDrainResult> drain = dispatcher.DrainAsync(TimeSpan.FromSeconds(5));
        await AdvanceWhenArmedAsync(clock, TimeSpan.FromSeconds(5));
        AlertDrainResult result = await drain.WaitAsync(Watchdog.Limit);

        Assert.Equal(1, result.GaveUp);
        AlertDeliveryAttempt attempt = Assert.Single(store.Attempts);
        Assert.Equal(AlertDeliveryOutcome.Abandoned, attempt.Outcome);
        Assert.Equal("abandoned: the process stopped waiting for alert deliveries", attempt.Error);
        Assert.Empty(sink.Delivered);
    }

    [Fact]
    public async Task Drain_GivenUpWhileWaitingToRetry_RecordsTheNextAttemptAbandoned()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var sink = new ScriptedSink("ops", Fail);
        AlertSettings settings = Settings(sinks: "ops");
        settings.Delivery.Backoff = TimeSpan.FromMinutes(1);
        await using var dispatcher = new AlertDispatcher(settings, [sink], store, clock);

        dispatcher.Publish(StepFailed(Run, "clean", clock));
        Task<AlertDrainResult> drain = dispatcher.DrainAsync(TimeSpan.FromSeconds(5));
        await Eventually(() => clock.Armed.Contains(TimeSpan.FromMinutes(1)));
        clock.Advance(TimeSpan.FromSeconds(5));
        AlertDrainResult result = await drain.WaitAsync(Watchdog.Limit);

        Assert.Equal(1, result.GaveUp);
        Assert.Equal([(1, AlertDeliveryOutcome.Failed), (2, AlertDeliveryOutcome.Abandoned)], store.Attempts.Select(a => (a.Attempt, a.Outcome)));
        Assert.Equal("gave up before attempt 2: the process stopped waiting for alert deliveries", store.Attempts[1].Error);
    }

    [Fact]
    public async Task Publish_SecretInTextsAndErrors_IsRedactedEverywhere()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var redactor = new SecretRedactor();
        redactor.Add("hunter2");
        var leaky = new LeakySink();
        AlertSettings settings = Settings(sinks: "leaky");
        settings.Delivery.MaxAttempts = 1;
        await using var dispatcher = new AlertDispatcher(settings, [leaky], store, clock, redactor);

        dispatcher.Publish(new Alert(
            AlertKind.DataQuality, "p", Run, "ingest", "key hunter2 rejected", "the API said: bad key hunter2", clock.GetUtcNow(),
            new Dictionary<string, string> { ["url"] = "https://api.example.com/?key=hunter2" }));
        await DrainWithoutAdvancingAsync(dispatcher);

        Alert sent = Assert.Single(leaky.Received);
        string everything = string.Join("|", sent.Title, sent.Message, string.Join(",", sent.Details.Values), store.Alerts[0].Message, store.Attempts[0].Error);
        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        Assert.Contains("bad key ***", sent.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidOperationException: connection to https://user:***@hooks.example.com refused", store.Attempts[0].Error);
    }

    [Fact]
    public async Task SendAsync_TestAlert_GoesToEverySinkWhateverItsKinds()
    {
        var clock = new TestClock();
        var store = new InMemoryAlertStore();
        var pager = new ScriptedSink("pager");
        var broken = new ScriptedSink("broken", Refuse);
        AlertSettings settings = Settings(sinks: ["pager", "broken"]);
        settings.Sinks["pager"].Kinds.Add("run-failed");
        await using var dispatcher = new AlertDispatcher(settings, [pager, broken], store, clock);

        IReadOnlyList<AlertDelivery> results = await dispatcher.SendAsync(
            new Alert(AlertKind.Test, "p", null, null, "test", "a test", clock.GetUtcNow(), new Dictionary<string, string>()), CancellationToken.None).WaitAsync(Watchdog.Limit);

        Assert.Equal([("pager", AlertDeliveryOutcome.Delivered), ("broken", AlertDeliveryOutcome.Rejected)], results.Select(r => (r.Sink, r.Outcome)));
    }

    internal static AlertSettings Settings(params string[] sinks)
    {
        var settings = new AlertSettings();
        settings.Delivery.Backoff = TimeSpan.FromSeconds(1);
        settings.Delivery.AttemptTimeout = TimeSpan.FromSeconds(30);
        foreach (string sink in sinks)
        {
            settings.Sinks[sink] = new AlertSinkSettings { Type = AlertSinkType.Log };
        }

        return settings;
    }

    internal static Alert StepFailed(RunId run, string step, TimeProvider clock) =>
        new(AlertKind.StepFailed, "p", run, step, $"Step '{step}' failed", "boom", clock.GetUtcNow(), new Dictionary<string, string>());

    private static Alert RunFailed(RunId run, TimeProvider clock) =>
        new(AlertKind.RunFailed, "p", run, null, "Run failed", "1 step failed", clock.GetUtcNow(), new Dictionary<string, string>());

    /// <summary>Waits for a timer of <paramref name="due"/> to be armed, passing over others (attempt timeouts, the drain limit), and advances past it.</summary>
    internal static async Task AdvanceWhenArmedAsync(TestClock clock, TimeSpan due)
    {
        while (await clock.NextTimerAsync() != due)
        {
        }

        clock.Advance(due);
    }

    /// <summary>Drains when no delay or timeout has to pass: the drain completes without the clock moving.</summary>
    private static Task<AlertDrainResult> DrainWithoutAdvancingAsync(AlertDispatcher dispatcher) =>
        dispatcher.DrainAsync(TimeSpan.FromMinutes(5)).WaitAsync(Watchdog.Limit);

    internal static async Task Eventually(Func<bool> condition)
    {
        DateTime until = DateTime.UtcNow + Watchdog.Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not become true in time");
            await Task.Delay(5, CancellationToken.None);
        }
    }

    /// <summary>A sink that fails with a secret in its error, as a URL with credentials in an exception message would.</summary>
    private sealed class LeakySink : IAlertSink
    {
        private readonly List<Alert> _received = [];

        public string Name => "leaky";

        public string Description => "leaky";

        public IReadOnlyList<Alert> Received => _received;

        public Task SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            lock (_received)
            {
                if (_received.Count == 0)
                {
                    _received.Add(alert);
                }
            }

            throw new InvalidOperationException("connection to https://user:hunter2@hooks.example.com refused");
        }
    }
}
