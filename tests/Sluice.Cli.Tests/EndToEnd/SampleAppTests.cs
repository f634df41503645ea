using System.Text.Json;

namespace Sluice.Cli.Tests.EndToEnd;

/// <summary>The sample app as a real process: a full run, SIGTERM mid-run, SIGKILL, and two runs at once.</summary>
[Collection("processes")]
public sealed class SampleAppTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    private static Dictionary<string, string> Slow(string delay = "00:00:30") => new() { ["SLUICE_Hello__StepDelay"] = delay };

    private async Task<JsonElement> ShowLastAsync()
    {
        var (exit, output, error) = await SampleProcess.RunAsync(_project.Root, null, "show", "last", "--json");
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private static string StepStatus(JsonElement run, string step) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step).GetProperty("status").GetString()!;

    [Fact]
    public async Task Run_FreshProject_WritesReportLogsAndHistory()
    {
        var (exit, output, error) = await SampleProcess.RunAsync(_project.Root, null, "run");
        Assert.True(exit == ExitCodes.Success, output + error);

        string report = await File.ReadAllTextAsync(_project.PathTo("reports/hello.txt"));
        Assert.Contains("values:   40", report);
        Assert.Contains("outliers: 1", report);

        JsonElement run = await ShowLastAsync();
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        string runId = run.GetProperty("run").GetString()!;

        string[] events = await File.ReadAllLinesAsync(_project.PathTo($"logs/{runId}/run.jsonl"));
        var kinds = events.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        Assert.Equal("run.started", kinds[0]);
        Assert.Equal("run.succeeded", kinds[^1]);
        Assert.Equal(5, kinds.Count(k => k == "step.started"));
        Assert.Equal(5, kinds.Count(k => k == "step.succeeded"));
        Assert.Contains("Read 40 values", await File.ReadAllTextAsync(_project.PathTo($"logs/{runId}/load.log")));
    }

    [Fact]
    public async Task Run_SigtermMidStep_CancelsCleanlyAndRecordsIt()
    {
        using var run = new SampleProcess(_project.Root, Slow(), "run", "-j", "1");
        await run.WaitForOutputAsync(@"load +started", TimeSpan.FromSeconds(30));
        run.Signal(SampleProcess.SigTerm);
        int exit = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExitCodes.Cancelled, exit);
        JsonElement recorded = await ShowLastAsync();
        Assert.Equal("cancelled", recorded.GetProperty("status").GetString());
        Assert.Equal("cancelled", StepStatus(recorded, "load"));
        Assert.Equal("cancelled", StepStatus(recorded, "report"));
        Assert.False(File.Exists(_project.PathTo("reports/hello.txt")));
    }

    [Fact]
    public async Task Run_WhileAnotherRuns_RefusesNamingTheHolder_OrWaitsWithWait()
    {
        using var first = new SampleProcess(_project.Root, Slow(), "run", "-j", "1");
        await first.WaitForOutputAsync(@"load +started", TimeSpan.FromSeconds(30));

        var (exit, _, error) = await SampleProcess.RunAsync(_project.Root, null, "run");
        Assert.Equal(ExitCodes.Busy, exit);
        Assert.Contains($"process {first.Id}", error);

        // The second run queues behind the first; ending the first (SIGTERM) lets it through.
        using var waiting = new SampleProcess(_project.Root, null, "run", "--wait");
        await waiting.WaitForErrorAsync("waiting for the run of process " + first.Id, TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(_project.PathTo("reports/hello.txt")), "the waiting run started before the first ended");
        first.Signal(SampleProcess.SigTerm);
        Assert.Equal(ExitCodes.Cancelled, await first.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ExitCodes.Success, await waiting.WaitAsync(TimeSpan.FromSeconds(60)));

        // The two runs did not interleave: the waiting one started after the first had ended.
        var (_, runsJson, _) = await SampleProcess.RunAsync(_project.Root, null, "runs", "--json");
        JsonElement[] runs = [.. JsonDocument.Parse(runsJson).RootElement.EnumerateArray()];
        Assert.Equal(2, runs.Length);
        Assert.Equal("cancelled", runs[1].GetProperty("status").GetString());
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());
        DateTimeOffset firstEnded = runs[1].GetProperty("ended_at").GetDateTimeOffset();
        DateTimeOffset secondStarted = runs[0].GetProperty("created_at").GetDateTimeOffset();
        Assert.True(secondStarted >= firstEnded, $"second run started {secondStarted:O}, before the first ended {firstEnded:O}");
    }

    [Fact]
    public async Task Run_AfterSigkill_MarksTheDeadRunInterrupted()
    {
        using (var doomed = new SampleProcess(_project.Root, Slow(), "run", "-j", "1"))
        {
            await doomed.WaitForOutputAsync(@"load +started", TimeSpan.FromSeconds(30));
            doomed.Signal(SampleProcess.SigKill);
            await doomed.WaitAsync(TimeSpan.FromSeconds(10));
        }

        var (exit, output, error) = await SampleProcess.RunAsync(_project.Root, null, "run");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("was interrupted", error);

        var (_, runsJson, _) = await SampleProcess.RunAsync(_project.Root, null, "runs", "--json");
        JsonElement[] runs = [.. JsonDocument.Parse(runsJson).RootElement.EnumerateArray()];
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());
        Assert.Equal("interrupted", runs[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Fingerprints_AreStableAcrossProcessesCulturesAndTimeZones()
    {
        var (exit, output, error) = await SampleProcess.RunAsync(_project.Root, null, "run");
        Assert.True(exit == ExitCodes.Success, output + error);

        // Another process, another culture and time zone: every step must still find its checkpoint.
        var elsewhere = new Dictionary<string, string>
        {
            ["TZ"] = "Asia/Kolkata",
            ["LANG"] = "tr_TR.UTF-8",
            ["LC_ALL"] = "tr_TR.UTF-8",
            ["DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY"] = "false",
        };
        var (planExit, plan, planError) = await SampleProcess.RunAsync(_project.Root, elsewhere, "plan", "--json");

        Assert.True(planExit == ExitCodes.Success, planError);
        JsonElement[] steps = [.. JsonDocument.Parse(plan).RootElement.GetProperty("steps").EnumerateArray()];
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Equal("reuse", s.GetProperty("decision").GetString()));
    }

    [Fact]
    public async Task Run_StepFails_ExitsOneAndDownstreamIsUpstreamFailed()
    {
        var env = new Dictionary<string, string> { ["SLUICE_Hello__FailStep"] = "stats" };
        var (exit, output, _) = await SampleProcess.RunAsync(_project.Root, env, "run");
        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains("FAILED", output);
        JsonElement run = await ShowLastAsync();
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("upstream-failed", StepStatus(run, "normalize"));
        Assert.Equal("upstream-failed", StepStatus(run, "report"));
    }
}

[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection;
