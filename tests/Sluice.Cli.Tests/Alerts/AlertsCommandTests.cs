using System.Text.Json;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>'show' and 'alerts list' read back the alerts of a run; bad alert settings stop a command before anything runs.</summary>
public sealed class AlertsCommandTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task ShowAndList_FailedRun_GiveEachAlertWithEachSinksOutcome()
    {
        await using var down = new HttpReceiver(503, []);
        await using var up = new HttpReceiver();
        AlertProject.Configure(_project, $$"""
            { "Sinks": {
                "down": { "Type": "webhook", "Url": "{{down.Url}}", "Kinds": ["run-failed"] },
                "up": { "Type": "webhook", "Url": "{{up.Url}}" } },
              "Delivery": { "MaxAttempts": 2, "Backoff": "00:00:05" } }
            """);
        var clock = new ArmedClock();
        var cli = new AlertCli(_project.Root, clock);
        Task<(int Exit, string Out, string Error)> run = cli.RunAsync(() => AlertProject.Define("score"), "run");
        await clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(5));
        var (exit, _, error) = await run;

        var (_, shown, _) = await cli.RunAsync(() => AlertProject.Define(), "show", "last");
        var (_, shownJson, _) = await cli.RunAsync(() => AlertProject.Define(), "show", "last", "--json");
        var (_, listed, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "list");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains("note: alert run-failed was not delivered to sink 'down' (failed after 2 attempts): HTTP 503 Service Unavailable: receiver says 503\n", error, StringComparison.Ordinal);
        Assert.EndsWith(
            """

            alerts:
              10:15:00 step-failed  Step 'score' of alerting failed
                up  delivered
              10:15:00 run-failed  Run of alerting failed
                down  failed after 2 attempts: HTTP 503 Service Unavailable: receiver says 503
                up    delivered

            """,
            shown,
            StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(shownJson);
        JsonElement[] alerts = [.. json.RootElement.GetProperty("alerts").EnumerateArray()];
        Assert.Equal(["run-failed", "step-failed"], alerts.Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal(
            ["down 1 failed", "down 2 failed", "up 1 delivered"],
            alerts[0].GetProperty("deliveries").EnumerateArray().Select(d => $"{d.GetProperty("sink").GetString()} {d.GetProperty("attempt").GetInt32()} {d.GetProperty("outcome").GetString()}"));
        Assert.Contains("  Run of alerting failed\n", listed, StringComparison.Ordinal);
        // A delivery to 'up' may be in flight while the clock jumps the 5 s backoff, so durations (and column widths) vary.
        Assert.Matches(@"\n  down  attempt 2  failed +[0-9.]+ m?s +HTTP 503 Service Unavailable: receiver says 503\n", listed);
        Assert.Matches(@"step-failed  run \d{8}-\d{6}-[0-9a-f]{4}  step score\n", listed);
    }

    [Fact]
    public async Task ShowJson_RunWithoutAlerts_HasAnEmptyAlertsList()
    {
        var cli = new AlertCli(_project.Root, new ArmedClock());
        await cli.RunAsync(() => AlertProject.Define(), "run");

        var (_, shown, _) = await cli.RunAsync(() => AlertProject.Define(), "show", "last");
        var (_, shownJson, _) = await cli.RunAsync(() => AlertProject.Define(), "show", "last", "--json");
        var (_, listed, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "list", "last");

        Assert.DoesNotContain("alerts:", shown, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(shownJson);
        Assert.Empty(json.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Matches(@"^No alerts were raised in run \d{8}-\d{6}-[0-9a-f]{4}\.\n$", listed);
    }

    [Fact]
    public async Task Run_InvalidAlertSettings_ExitsTwoNamingEveryKeyAndRunsNothing()
    {
        AlertProject.Configure(_project, """
            { "Sinks": { "ops": { "Type": "webhook", "Url": "ftp://hooks.example.com/x" },
                         "mail": { "Type": "email", "Host": "smtp.example.com", "To": ["a@example.com"] } } }
            """);
        var cli = new AlertCli(_project.Root, new ArmedClock());

        var (exit, _, error) = await cli.RunAsync(() => AlertProject.Define(), "run");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Configuration key 'Sluice:Alerts:Sinks:ops:Url' is invalid: 'ftp://hooks.example.com/x' is not an absolute http or https address", error, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Sluice:Alerts:Sinks:mail:From' is invalid: email sink 'mail' has no From", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.PathTo(".sluice")));
    }

    [Fact]
    public async Task AlertsTestAndCheck_NothingConfigured_SayHowToConfigure()
    {
        var cli = new AlertCli(_project.Root, new ArmedClock());

        var (testExit, _, testError) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "test");
        var (checkExit, _, checkError) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "check");

        Assert.Equal((ExitCodes.DefinitionError, ExitCodes.DefinitionError), (testExit, checkExit));
        Assert.StartsWith("error: No alert sinks are configured: add one under Sluice:Alerts:Sinks", testError, StringComparison.Ordinal);
        Assert.StartsWith("error: No schedule is configured: set Sluice:Alerts:Schedule:Cron", checkError, StringComparison.Ordinal);
    }
}
