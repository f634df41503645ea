using System.Text.Json;
using Sluice.Alerts;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>The log sink: the run's alerts.jsonl, readable as the forecaster's own alert records, and a console line.</summary>
public sealed class LogAlertTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    /// <summary>The shape of the forecaster's <c>StockForecaster.Alerts.Alert</c>, read with its default options: the log sink must be a drop-in for it.</summary>
    private sealed record ForecasterAlert(string Kind, string RunId, string Step, DateTimeOffset At, string Message);

    [Fact]
    public async Task Run_StepRaisesDataQualityAndFails_EachAlertIsALineOfTheRunsLogAndOfTheConsole()
    {
        AlertProject.Configure(_project, """{ "Sinks": { "log": { "Type": "log" } } }""");
        var cli = new AlertCli(_project.Root, new ArmedClock());

        var (exit, _, error) = await cli.RunAsync(QualityThenFailure, "run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        string run = Directory.GetDirectories(_project.PathTo("logs")).Select(Path.GetFileName).Single()!;
        ForecasterAlert[] alerts = [.. File.ReadAllLines(_project.PathTo($"logs/{run}/alerts.jsonl")).Select(l => JsonSerializer.Deserialize<ForecasterAlert>(l)!)];
        Assert.Equal(
            [
                new ForecasterAlert("data-quality", run, "clean", new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), "3 missing trading days: 2026-11-02, 2026-11-03, 2026-11-04"),
                new ForecasterAlert("step-failed", run, "model", new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), $"Step 'model' failed in run {run} (no retries configured): InvalidOperationException: model diverged"),
                new ForecasterAlert("run-failed", run, "model", new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), $"Run {run} of forecast failed: step 'model' failed. See 'show {run}'."),
            ],
            alerts);
        Assert.Equal(
            [
                "alert data-quality: data-quality in forecast, step 'clean' - 3 missing trading days: 2026-11-02, 2026-11-03, 2026-11-04",
                $"alert step-failed: Step 'model' of forecast failed - Step 'model' failed in run {run} (no retries configured): InvalidOperationException: model diverged",
                $"alert run-failed: Run of forecast failed - Run {run} of forecast failed: step 'model' failed. See 'show {run}'.",
            ],
            error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"warn run=\S+ step=clean attempt=1 alert data-quality: 3 missing trading days", File.ReadAllText(_project.PathTo($"logs/{run}/clean.log")));
    }

    [Fact]
    public async Task AlertsTest_PathOfTheForecastersAlertFile_AppendsThere()
    {
        AlertProject.Configure(_project, """{ "Sinks": { "log": { "Type": "log", "Path": "logs/alerts.jsonl" } } }""");
        _project.Write("logs/alerts.jsonl", """{"Kind":"data-quality","RunId":"r","Step":"clean","At":"2026-11-26T10:00:00+00:00","Message":"earlier"}""" + "\n");
        var cli = new AlertCli(_project.Root, new ArmedClock());

        var (exit, _, _) = await cli.RunAsync(QualityThenFailure, "alerts", "test");

        Assert.Equal(ExitCodes.Success, exit);
        string[] lines = File.ReadAllLines(_project.PathTo("logs/alerts.jsonl"));
        Assert.Equal(["earlier", "A test alert sent by 'alerts test' on test-host. If you read this, the sink works."], lines.Select(l => JsonSerializer.Deserialize<ForecasterAlert>(l)!.Message));
    }

    private static Pipeline QualityThenFailure() => Pipeline.Define("forecast", p =>
    {
        Artifact<int> clean = p.Step("clean").Executes(ctx =>
        {
            ctx.Alerts.Raise(AlertKind.DataQuality, "3 missing trading days: 2026-11-02, 2026-11-03, 2026-11-04");
            return 1;
        });
        p.Step("model").Executes(clean, (ctx, _) => throw new InvalidOperationException("model diverged"));
    });
}
