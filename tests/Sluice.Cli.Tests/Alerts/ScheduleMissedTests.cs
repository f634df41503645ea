using Microsoft.Extensions.Time.Testing;
using Sluice.Alerts;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>schedule-missed on a fake clock against a real SQLite store: raised once per missed time, across processes, and from 'run' and 'alerts check'.</summary>
public sealed class ScheduleMissedTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Check_DailyScheduleWithGrace_RaisesOnlyOnceTheGraceEndedWithNoRunSinceTheScheduledTime()
    {
        var clock = new FakeTimeProvider(Day1.AddDays(1).AddHours(6).AddMinutes(29));
        AlertScheduleSettings schedule = Daily("0 6 * * *", grace: TimeSpan.FromMinutes(30));
        await using (SqliteRunStore store = await OpenAsync())
        {
            await RecordRunAsync(store, Day1.AddHours(6).AddMinutes(2));

            (ScheduleCheck early, IReadOnlyList<Alert> none) = await CheckAsync(schedule, store, clock);
            Assert.False(early.Raised);
            Assert.Empty(none);
            Assert.Equal("on time: the latest run started at 2026-11-23 06:02 UTC; next scheduled at 2026-11-24 06:00 UTC", early.Summary);

            clock.Advance(TimeSpan.FromMinutes(2));
            (ScheduleCheck missed, IReadOnlyList<Alert> raised) = await CheckAsync(schedule, store, clock);
            Assert.True(missed.Raised);
            Assert.Equal(Day1.AddDays(1).AddHours(6), missed.Missed);
            Alert alert = Assert.Single(raised);
            Assert.Equal((AlertKind.ScheduleMissed, "daily", (RunId?)null), (alert.Kind, alert.Pipeline, alert.RunId));
            Assert.Equal(
                "No run of daily started since its scheduled time 2026-11-24 06:00 UTC ('0 6 * * *'); the grace period of 30 min ended at 2026-11-24 06:30 UTC. The latest run started at 2026-11-23 06:02 UTC.",
                alert.Message);
            Assert.Equal("1", alert.Details["missed_count"]);
        }

        // Another process, with its own store connection and dispatcher: the store says it was raised already.
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (SqliteRunStore again = await OpenAsync())
        {
            (ScheduleCheck repeat, IReadOnlyList<Alert> nothing) = await CheckAsync(schedule, again, clock);
            Assert.False(repeat.Raised);
            Assert.Empty(nothing);
            Assert.EndsWith("; alerted at 2026-11-24 06:31 UTC", repeat.Summary, StringComparison.Ordinal);
            Assert.Single(await again.ListAlertsAsync(null, 10));
        }
    }

    [Fact]
    public async Task Check_SeveralTimesMissed_RaisesTheLatestWithTheCountThenNothingOnceARunStarts()
    {
        var clock = new FakeTimeProvider(Day1.AddDays(3).AddHours(7));
        AlertScheduleSettings schedule = Daily("0 6 * * *", grace: TimeSpan.FromMinutes(15));
        await using SqliteRunStore store = await OpenAsync();
        await RecordRunAsync(store, Day1.AddHours(6));

        (ScheduleCheck missed, IReadOnlyList<Alert> raised) = await CheckAsync(schedule, store, clock);

        Assert.Equal((Day1.AddDays(3).AddHours(6), 3), (missed.Missed, missed.MissedCount));
        Assert.EndsWith(" 3 scheduled times were missed since then.", Assert.Single(raised).Message, StringComparison.Ordinal);

        await RecordRunAsync(store, Day1.AddDays(3).AddHours(7).AddMinutes(5));
        clock.Advance(TimeSpan.FromHours(20));
        (ScheduleCheck onTime, IReadOnlyList<Alert> none) = await CheckAsync(schedule, store, clock);
        Assert.Null(onTime.Missed);
        Assert.Empty(none);
    }

    [Theory]
    [InlineData(4, 49, false)]
    [InlineData(5, 16, true)]
    public async Task Check_CronInATimeZone_IsReadInThatZone(int hourUtc, int minuteUtc, bool raised)
    {
        // 06:00 in London in summer is 05:00 UTC; with 15 minutes' grace it is missed from 05:15 UTC.
        var summer = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(summer.AddDays(1).AddHours(hourUtc).AddMinutes(minuteUtc));
        AlertScheduleSettings schedule = Daily("0 6 * * *", grace: TimeSpan.FromMinutes(15), zone: "Europe/London");
        await using SqliteRunStore store = await OpenAsync();
        await RecordRunAsync(store, summer.AddHours(5));

        (ScheduleCheck check, _) = await CheckAsync(schedule, store, clock);

        Assert.Equal(raised, check.Raised);
        if (raised)
        {
            Assert.Equal(summer.AddDays(1).AddHours(5), check.Missed);
            Assert.StartsWith("missed: no run started since 2026-07-02 06:00 Europe/London", check.Summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_PipelineNeverRan_RaisesNothing()
    {
        var clock = new FakeTimeProvider(Day1.AddDays(10));
        await using SqliteRunStore store = await OpenAsync();

        (ScheduleCheck check, IReadOnlyList<Alert> raised) = await CheckAsync(Daily("0 6 * * *", TimeSpan.Zero), store, clock);

        Assert.Empty(raised);
        Assert.Equal("daily has not run yet: the schedule is watched from its first run", check.Summary);
    }

    [Fact]
    public async Task RunAndAlertsCheck_AfterAMissedTime_RaiseOneAlertBetweenThem()
    {
        AlertProject.Configure(_project, """
            { "Sinks": { "log": { "Type": "log", "Kinds": ["schedule-missed"] } },
              "Schedule": { "Cron": "0 10 * * *", "Grace": "00:30:00" } }
            """);
        var clock = new ArmedClock();
        var cli = new AlertCli(_project.Root, clock);
        var (first, _, firstError) = await cli.RunAsync(() => AlertProject.Define(), "run");
        Assert.Equal((ExitCodes.Success, ""), (first, firstError));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(20));
        var (second, _, secondError) = await cli.RunAsync(() => AlertProject.Define(), "run");
        var (checkExit, checkOutput, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "check");

        Assert.Equal(ExitCodes.Success, second);
        Assert.Equal(
            "note: schedule missed: no run started since 2026-11-28 10:00 UTC (grace 30 min, ended 2026-11-28 10:30 UTC); schedule-missed raised.\n"
            + "alert schedule-missed: Scheduled run of alerting missed - No run of alerting started since its scheduled time 2026-11-28 10:00 UTC ('0 10 * * *'); the grace period of 30 min ended at 2026-11-28 10:30 UTC. The latest run started at 2026-11-27 10:15 UTC.\n",
            secondError);
        Assert.Equal(ExitCodes.Success, checkExit);
        Assert.Equal("schedule '0 10 * * *': on time: the latest run started at 2026-11-28 10:35 UTC; next scheduled at 2026-11-29 10:00 UTC\n", checkOutput);
        Assert.Single(File.ReadAllLines(_project.PathTo("logs/alerts.jsonl")));

        // A day later nothing ran: 'alerts check' (from cron) raises it, and only once however often it is called.
        clock.Advance(TimeSpan.FromDays(1));
        var (_, missedOutput, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "check");
        var (_, repeatOutput, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "check");
        Assert.Equal("schedule '0 10 * * *': missed: no run started since 2026-11-29 10:00 UTC (grace 30 min, ended 2026-11-29 10:30 UTC); schedule-missed raised\n  log: delivered\n", missedOutput);
        Assert.Equal("schedule '0 10 * * *': missed: no run started since 2026-11-29 10:00 UTC (grace 30 min, ended 2026-11-29 10:30 UTC); alerted at 2026-11-29 10:35 UTC\n", repeatOutput);
        Assert.Equal(2, File.ReadAllLines(_project.PathTo("logs/alerts.jsonl")).Length);
    }

    private static AlertScheduleSettings Daily(string cron, TimeSpan grace, string? zone = null) => new() { Cron = cron, Grace = grace, TimeZone = zone };

    private Task<SqliteRunStore> OpenAsync() => SqliteRunStore.OpenAsync(_project.PathTo(".sluice/runs.db"));

    private static Task RecordRunAsync(SqliteRunStore store, DateTimeOffset at) =>
        store.CreateRunAsync(new RunRecord(RunId.New(at, 1), "daily", RunStatus.Succeeded, at, at, "run", "test-host", 1, null), []);

    private static async Task<(ScheduleCheck Check, IReadOnlyList<Alert> Raised)> CheckAsync(AlertScheduleSettings schedule, SqliteRunStore store, TimeProvider clock)
    {
        var settings = new AlertSettings { Schedule = schedule };
        settings.Sinks["all"] = new AlertSinkSettings { Type = AlertSinkType.Log };
        var sink = new KeepingSink();
        await using var dispatcher = new AlertDispatcher(settings, [sink], store, clock);
        ScheduleCheck check = await ScheduleWatch.CheckAsync(schedule, "daily", store, dispatcher, clock, CancellationToken.None);
        await dispatcher.DrainAsync(TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(10));
        return (check, sink.Received);
    }

    private sealed class KeepingSink : IAlertSink
    {
        private readonly List<Alert> _received = [];

        public string Name => "all";

        public string Description => "keeps alerts";

        public IReadOnlyList<Alert> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public Task SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            lock (_received)
            {
                _received.Add(alert);
            }

            return Task.CompletedTask;
        }
    }
}
