using System.Text.Json;

namespace Sluice.Cli.Tests.Commands;

/// <summary>'gc' over real SQLite checkpoints and a real artifact store.</summary>
public sealed class GcTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public GcTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    private string[] Objects() => Directory.GetFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories);

    private async Task<List<string>> ArtifactsAsync()
    {
        var (_, json, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "artifacts", "--json");
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(c => c.GetProperty("artifact").GetString()!)];
    }

    /// <summary>Run 1 with Start=2 (even), run 2 with Start=1 (odd): every step has two versions.</summary>
    private async Task TwoRunsAsync()
    {
        _cli.Variables["SLUICE_Diamond__Start"] = "2";
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => ArtifactsTests.Parity(), "run")).Exit);
        _cli.Variables["SLUICE_Diamond__Start"] = "1";
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => ArtifactsTests.Parity(), "run")).Exit);
    }

    [Fact]
    public async Task Gc_KeepOne_DeletesTheOlderRunsVersions_AndARerunStillReusesTheKeptOnes()
    {
        await TwoRunsAsync();
        Assert.Equal(6, (await ArtifactsAsync()).Count);

        var (exit, output, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "gc", "--keep", "1");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("deleted 3 checkpoints and 3 objects, freed ", output);
        List<string> kept = await ArtifactsAsync();
        Assert.Equal(3, kept.Count);
        Assert.Equal(3, Objects().Length);

        var (runExit, run, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "run");
        Assert.Equal(ExitCodes.Success, runExit);
        Assert.Contains("0 steps succeeded, 3 reused", run);
    }

    [Fact]
    public async Task Gc_DryRun_DeletesNothing()
    {
        await TwoRunsAsync();
        string[] before = Objects();

        var (exit, output, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "gc", "--keep", "1", "--dry-run");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("would delete 3 checkpoints and 3 objects", output);
        Assert.Contains("(dry run: nothing was deleted)", output);
        Assert.Equal(before, Objects());
        Assert.Equal(6, (await ArtifactsAsync()).Count);
    }

    [Fact]
    public async Task Gc_KeepZero_StillKeepsTheNewestVersionOfEveryStep()
    {
        await TwoRunsAsync();

        await _cli.RunAsync(() => ArtifactsTests.Parity(), "gc", "--keep", "0");

        Assert.Equal(3, (await ArtifactsAsync()).Count);
        Assert.Equal("parity: odd", await File.ReadAllTextAsync(_project.PathTo("reports/parity.txt")));
    }

    [Fact]
    public async Task Gc_DefaultFromConfiguration_KeepsThatManyRuns()
    {
        await TwoRunsAsync();
        _cli.Variables["SLUICE_Sluice__Gc__KeepRuns"] = "2";

        var (exit, output, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "gc");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("deleted 0 checkpoints and 0 objects", output);
        Assert.Equal(6, (await ArtifactsAsync()).Count);
    }

    [Fact]
    public async Task Gc_UnreferencedObject_IsDeleted()
    {
        await _cli.RunAsync(() => ArtifactsTests.Parity(), "run");
        string stray = new('b', 32);
        Directory.CreateDirectory(_project.PathTo($".sluice/objects/bb"));
        await File.WriteAllTextAsync(_project.PathTo($".sluice/objects/bb/{stray[2..]}"), "stray");

        var (_, output, _) = await _cli.RunAsync(() => ArtifactsTests.Parity(), "gc", "--keep", "5");

        Assert.Contains($"deleted object xxh128:{stray}  (5 bytes)", output);
        Assert.Equal(3, Objects().Length);
    }
}
