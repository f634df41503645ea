using System.Diagnostics;
using System.Text.Json;
using Sluice.Alerts;
using Sluice.Alerts.Sinks;
using Sluice.State;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>The command sink with real scripts: the alert on standard input, exit codes, and a hung notifier killed with its children.</summary>
public sealed class CommandAlertTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_Fails_ScriptReadsTheAlertFromStandardInput()
    {
        Script("scripts/notify.sh", """
            #!/bin/sh
            cat > "$1"
            echo "$SLUICE_ALERT_KIND $SLUICE_ALERT_PIPELINE $SLUICE_ALERT_RUN" > "$1.env"
            """);
        AlertProject.Configure(_project, """
            { "Sinks": { "pager": { "Type": "command", "Command": "scripts/notify.sh", "Arguments": ["alert.json"], "Kinds": ["run-failed"] } } }
            """);
        var cli = new AlertCli(_project.Root, new ArmedClock());

        var (exit, _, error) = await cli.RunAsync(() => AlertProject.Define("fetch"), "run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Equal("", error);
        using JsonDocument alert = JsonDocument.Parse(File.ReadAllText(_project.PathTo("alert.json")));
        JsonElement root = alert.RootElement;
        string run = root.GetProperty("RunId").GetString()!;
        Assert.Equal((1, "run-failed", "alerting", "fetch"), (root.GetProperty("Version").GetInt32(), root.GetProperty("Kind").GetString(), root.GetProperty("Pipeline").GetString(), root.GetProperty("Step").GetString()));
        Assert.Equal($"Run {run} of alerting failed: step 'fetch' failed. See 'show {run}'.", root.GetProperty("Message").GetString());
        Assert.Equal("failed", root.GetProperty("Details").GetProperty("status").GetString());
        Assert.Equal($"run-failed alerting {run}\n", File.ReadAllText(_project.PathTo("alert.json.env")));
    }

    [Fact]
    public async Task Send_ScriptExitsNonZero_IsRetriedAndReportsWhatItSaid()
    {
        Script("scripts/fail.sh", """
            #!/bin/sh
            cat > /dev/null
            echo "pager service offline" >&2
            exit 3
            """);
        AlertSettings settings = Settings("scripts/fail.sh", maxAttempts: 2, timeout: TimeSpan.FromSeconds(10));

        AlertDelivery delivery = await SendAsync(settings);

        Assert.Equal((AlertDeliveryOutcome.Failed, 2), (delivery.Outcome, delivery.Attempts));
        Assert.Equal("'fail.sh' exited with code 3: pager service offline", delivery.Error);
    }

    [Fact]
    public async Task Send_ProgramMissing_IsRejectedWithoutRetry()
    {
        AlertSettings settings = Settings("scripts/missing.sh", maxAttempts: 3, timeout: TimeSpan.FromSeconds(10));

        AlertDelivery delivery = await SendAsync(settings);

        Assert.Equal((AlertDeliveryOutcome.Rejected, 1), (delivery.Outcome, delivery.Attempts));
        Assert.StartsWith($"could not start '{_project.PathTo("scripts/missing.sh")}'", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ScriptHangsAfterStartingAChild_TimeoutKillsBothAndReturnsPromptly()
    {
        Script("scripts/hang.sh", """
            #!/bin/sh
            sleep 300 &
            echo $! > "$1"
            echo $$ >> "$1"
            sleep 300
            """);
        AlertSettings settings = Settings("scripts/hang.sh", maxAttempts: 1, timeout: TimeSpan.FromSeconds(1), "pids.txt");

        var took = Stopwatch.StartNew();
        AlertDelivery delivery = await SendAsync(settings);
        took.Stop();

        Assert.Equal(AlertDeliveryOutcome.TimedOut, delivery.Outcome);
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(8), $"the timed-out command took {took.Elapsed} to be dealt with");
        int[] pids = [.. File.ReadAllLines(_project.PathTo("pids.txt")).Select(int.Parse)];
        Assert.Equal(2, pids.Length);
        foreach (int pid in pids)
        {
            Assert.True(await GoneAsync(pid), $"process {pid} (the script or its child) is still running after the timeout");
        }
    }

    private void Script(string relative, string text)
    {
        _project.Write(relative, text.ReplaceLineEndings("\n") + "\n");
        Assert.False(OperatingSystem.IsWindows(), "the command sink's test scripts are POSIX shell");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_project.PathTo(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static AlertSettings Settings(string command, int maxAttempts, TimeSpan timeout, params string[] arguments)
    {
        var settings = new AlertSettings();
        settings.Sinks["pager"] = new AlertSinkSettings { Type = AlertSinkType.Command, Command = command, Arguments = [.. arguments] };
        settings.Delivery.MaxAttempts = maxAttempts;
        settings.Delivery.Backoff = TimeSpan.Zero;
        settings.Delivery.AttemptTimeout = timeout;
        return settings;
    }

    private async Task<AlertDelivery> SendAsync(AlertSettings settings)
    {
        var sink = new CommandSink("pager", settings.Sinks["pager"], _project.Root);
        await using var dispatcher = new AlertDispatcher(settings, [sink], null, TimeProvider.System);
        var alert = new Alert(AlertKind.RunFailed, "alerting", RunId.New(DateTimeOffset.UnixEpoch, 1), null, "Run failed", "it broke", DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
        return Assert.Single(await dispatcher.SendAsync(alert, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    // Killed processes may linger as zombies until their new parent reaps them: a zombie runs nothing.
    private static async Task<bool> GoneAsync(int pid)
    {
        for (int i = 0; i < 100; i++)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true;
            }

            try
            {
                string text = File.ReadAllText(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
