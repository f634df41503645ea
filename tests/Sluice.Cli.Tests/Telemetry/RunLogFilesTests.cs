using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sluice.Cli.Tests.Telemetry;

/// <summary>The run's own log files: every .log line names run, step and attempt, and run.jsonl holds each logged line as a <c>log</c> event.</summary>
public sealed class RunLogFilesTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_StepLogLines_CarryRunStepAndAttempt_InTheStepLogAndInRunJsonl()
    {
        var cli = new TelemetryCli(_project.Root);
        var (exit, output, error) = await cli.RunAsync(() => TelemetryCli.Measured("logfiles"), "run", "-j", "1");
        Assert.True(exit == ExitCodes.Success, output + error);
        string runId = Path.GetFileName(Assert.Single(Directory.GetDirectories(_project.PathTo("logs"))));

        // Each entry starts with a stamp, a level and the three names; exception text follows on lines of its own.
        string[] load = File.ReadAllLines(_project.PathTo($"logs/{runId}/load.log"));
        Assert.Equal(
            [
                $"info run={runId} step=load attempt=1 Read 5105 rows",
                $"warn run={runId} step=load attempt=1 source slow, giving up on attempt 1",
                $"fail run={runId} step=load attempt=1 System.InvalidOperationException: source timed out (attempt 1 of 2 failed; next in 0 ms)",
                $"info run={runId} step=load attempt=2 Read 5105 rows",
            ],
            load.Select(WithoutStamp));
        string[] measure = File.ReadAllLines(_project.PathTo($"logs/{runId}/measure.log"));
        Assert.Equal($"fail run={runId} step=measure attempt=1 fit had a problem with 5105 rows", WithoutStamp(measure[0]));
        Assert.Equal("System.InvalidOperationException: model wobble", measure[1]);

        JsonElement[] lines = [.. File.ReadAllLines(_project.PathTo($"logs/{runId}/run.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
        JsonElement[] logged = [.. lines.Where(l => l.GetProperty("event").GetString() == "log")];
        Assert.Equal(
            [
                "load 1 information 0 Read 5105 rows",
                "load 1 warning 17 source slow, giving up on attempt 1",
                "load 2 information 0 Read 5105 rows",
                "measure 1 error 0 fit had a problem with 5105 rows",
            ],
            logged.Select(l => $"{l.GetProperty("step")} {l.GetProperty("attempt")} {l.GetProperty("level")} {l.GetProperty("event_id")} {l.GetProperty("message")}"));
        Assert.All(logged, l => Assert.Equal(runId, l.GetProperty("run").GetString()));
        Assert.Equal("SourceSlow", logged[1].GetProperty("event_name").GetString());
        Assert.StartsWith("System.InvalidOperationException: model wobble", logged[3].GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.False(logged[0].TryGetProperty("exception", out _));

        // A line sits between its attempt's start and end, as it happened.
        string[] order = [.. lines.Select(l => $"{l.GetProperty("event")} {(l.TryGetProperty("step", out JsonElement s) ? s.GetString() : "")}")];
        Assert.Equal(
            ["run.started ", "step.started load", "log load", "log load", "step.retrying load", "step.started load", "log load", "step.succeeded load",
             "step.started measure", "log measure", "step.succeeded measure", "run.succeeded "],
            order);
    }

    [Fact]
    public async Task Logs_StepWithJson_PrintsThatStepsLinesOfRunJsonl()
    {
        var cli = new TelemetryCli(_project.Root);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("logfiles"), "run", "-j", "1")).Exit);

        var (exit, output, _) = await cli.RunAsync(() => TelemetryCli.Measured("logfiles"), "logs", "last", "load", "--json");

        Assert.Equal(ExitCodes.Success, exit);
        JsonElement[] lines = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.All(lines, l => Assert.Equal("load", l.GetProperty("step").GetString()));
        Assert.Equal(
            ["step.started", "log", "log", "step.retrying", "step.started", "log", "step.succeeded"],
            lines.Select(l => l.GetProperty("event").GetString()));
    }

    private static string WithoutStamp(string line) =>
        Regex.Replace(line, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", "");
}
