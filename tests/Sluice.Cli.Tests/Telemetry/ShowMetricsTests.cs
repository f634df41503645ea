using System.Text.Json;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Cli.Tests.Telemetry;

/// <summary>The metrics summary kept with each run and what <c>show</c> makes of it.</summary>
public sealed class ShowMetricsTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Show_Run_PrintsTheSummaryAndEachStepsMeasurements()
    {
        var cli = new TelemetryCli(_project.Root);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("shown"), "run", "-j", "1")).Exit);

        var (exit, text, _) = await cli.RunAsync(() => TelemetryCli.Measured("shown"), "show", "last");

        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(text, "show-measurements");
    }

    [Fact]
    public async Task Show_Json_HasTheEngineFiguresByNameAndTheMeasurementsAsAList()
    {
        var cli = new TelemetryCli(_project.Root);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("shown"), "run", "-j", "1")).Exit);

        var (_, output, _) = await cli.RunAsync(() => TelemetryCli.Measured("shown"), "show", "last", "--json");

        JsonElement run = JsonDocument.Parse(output).RootElement;
        JsonElement metrics = run.GetProperty("metrics");
        Assert.Equal(3, metrics.GetProperty("attempts").GetProperty("value").GetDouble());
        Assert.Equal(1, metrics.GetProperty("retries").GetProperty("value").GetDouble());
        Assert.Equal(2, metrics.GetProperty("steps.succeeded").GetProperty("value").GetDouble());
        Assert.Equal("s", metrics.GetProperty("run.duration").GetProperty("unit").GetString());
        Assert.Equal(
            ["load rows_ingested 5105  2", "measure rmse 0.0123 ratio 1"],
            run.GetProperty("measurements").EnumerateArray().Select(m =>
                $"{m.GetProperty("step")} {m.GetProperty("name")} {m.GetProperty("value").GetDouble()} {m.GetProperty("unit").GetString()} {m.GetProperty("attempt")}"));
    }

    [Fact]
    public async Task Store_KeepsTheSummaryInTheMetricsTable_OneBatchPerRun()
    {
        var cli = new TelemetryCli(_project.Root);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("stored"), "run", "-j", "1")).Exit);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("stored"), "run", "-j", "1")).Exit);

        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(_project.PathTo(".sluice/runs.db"));
        IReadOnlyList<RunRecord> runs = await store.ListRunsAsync(10);
        Assert.Equal(2, runs.Count);

        // The second run reused both steps: its summary says so, and it has no step measurements of its own.
        IReadOnlyList<RunMeasurement> second = await store.GetMeasurementsAsync(runs[0].Id);
        Assert.Equal(2, second.Single(m => m.Name == "steps.reused").Value);
        Assert.Equal(0, second.Single(m => m.Name == "attempts").Value);
        Assert.DoesNotContain(second, m => m.Source == MeasurementSource.Step);

        IReadOnlyList<RunMeasurement> first = await store.GetMeasurementsAsync(runs[1].Id);
        Assert.Equal(12, first.Count(m => m.Source == MeasurementSource.Engine));
        Assert.All(first.Take(12), m => Assert.Equal(MeasurementSource.Engine, m.Source));
        Assert.Equal(
            [new RunMeasurement("load", "rows_ingested", 5105, null, MeasurementSource.Step, 2), new RunMeasurement("measure", "rmse", 0.0123, "ratio", MeasurementSource.Step, 1)],
            first.Skip(12));
        Assert.Equal(4 + 4, first.Single(m => m.Name == "artifacts.bytes_written").Value);
    }

    [Fact]
    public async Task Record_AgainForTheSameRunAndName_ReplacesTheValue()
    {
        var cli = new TelemetryCli(_project.Root);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync(() => TelemetryCli.Measured("replaced"), "run", "-j", "1")).Exit);
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(_project.PathTo(".sluice/runs.db"));
        RunId run = (await store.ListRunsAsync(1))[0].Id;

        await store.RecordMeasurementsAsync(run, [new RunMeasurement("load", "rows_ingested", 42, "rows", MeasurementSource.Step, 3)]);

        Assert.Equal(
            new RunMeasurement("load", "rows_ingested", 42, "rows", MeasurementSource.Step, 3),
            (await store.GetMeasurementsAsync(run)).Single(m => m.Name == "rows_ingested"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordMeasurementsAsync(run, [new RunMeasurement("", "x", 1, null, MeasurementSource.Step)]));
    }
}
