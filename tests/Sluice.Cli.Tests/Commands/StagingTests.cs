using Sluice.Definitions;
using Sluice.Processes;
using Sluice.State;

namespace Sluice.Cli.Tests.Commands;

/// <summary>Command steps' staging folders: emptied and reused within a run, never showing one step's files to the next, gone when the run ends.</summary>
public sealed class StagingTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task CreateStaging_AfterAnotherStepsFolderWasReleased_ReusesItEmptiedOfFiles()
    {
        var workspace = new CommandWorkspace(_project.Root);
        RunId run = RunId.New(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), 1);
        string first = await workspace.CreateStagingAsync(run, "first", 1, ["data/x.txt"], CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(first, "data", "x.txt"), "x");
        Directory.CreateDirectory(Path.Combine(first, "junk"));
        await File.WriteAllTextAsync(Path.Combine(first, "junk", "left.txt"), "a file the program left");
        await workspace.DeleteStagingAsync(first);

        // The next step writes a file where the first had a folder.
        string second = await workspace.CreateStagingAsync(run, "second", 1, ["data"], CancellationToken.None);

        Assert.Equal(Path.Combine(workspace.StagingRoot, run.Value, "second.1"), second);
        Assert.False(Directory.Exists(first));
        Assert.True(Directory.Exists(Path.Combine(second, "junk")), "the first step's folder was not reused");
        Assert.Empty(Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(second, "data")), "the second step's output path is still a folder");
    }

    [Fact]
    public async Task CreateStaging_ForAnotherRun_DoesNotTakeTheEarlierRunsFolder()
    {
        var workspace = new CommandWorkspace(_project.Root);
        var at = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        string first = await workspace.CreateStagingAsync(RunId.New(at, 1), "a", 1, ["out.txt"], CancellationToken.None);
        await workspace.DeleteStagingAsync(first);

        string second = await workspace.CreateStagingAsync(RunId.New(at, 2), "a", 1, ["out.txt"], CancellationToken.None);

        Assert.True(Directory.Exists(first));
        Assert.True(Directory.Exists(second));
        Assert.Equal(2, CommandWorkspace.CleanStaging(_project.Root));
    }

    [Fact]
    public async Task Run_ChainOfCommands_NoStepSeesFilesAnEarlierOneLeftAndNoStagingFolderOutlivesTheRun()
    {
        static Pipeline Define() => Pipeline.Define("staged", p =>
        {
            p.Command("a", c => c.Run("/bin/sh", "-c", "echo a > \"$0\"; echo left > \"$SLUICE_OUTPUT_DIR/extra.txt\"", "{out:0}").Outputs("data/a.txt"));
            p.Command("b", c => c.Inputs("data/a.txt").Run("/bin/sh", "-c", "find \"$SLUICE_OUTPUT_DIR\" -type f > \"$0\"", "{out:0}").Outputs("data/b.txt"));
            p.Command("c", c => c.Inputs("data/b.txt").Run("/bin/sh", "-c", "find \"$SLUICE_OUTPUT_DIR\" -type f > \"$0\"", "{out:0}").Outputs("data/c.txt"));
        });

        var (exit, output, error) = await new CliHarness(_project.Root).RunAsync(Define, "run", "-j", "1");

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.EndsWith("/b.1/data/b.txt\n", await File.ReadAllTextAsync(_project.PathTo("data/b.txt")));
        Assert.EndsWith("/c.1/data/c.txt\n", await File.ReadAllTextAsync(_project.PathTo("data/c.txt")));
        Assert.Single((await File.ReadAllTextAsync(_project.PathTo("data/b.txt"))).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_project.PathTo(".sluice/staging")));
    }
}
