using Sluice.Cli.Hosting;

namespace Sluice.Cli.Tests.EndToEnd;

/// <summary>The sample app as a real process commits the start of its heap at once and advises it for 2 MiB pages (StartupHeap).</summary>
[Collection("processes")]
public sealed class StartupHeapTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_AdvisesTheCommittedHeapForHugePages_AndTheProcessUsesThem()
    {
        var (advised, hugeBytes) = await InspectRunningAsync(new Dictionary<string, string> { ["SLUICE_Hello__StepDelay"] = "00:00:30" });

        // The no-GC region's small-object part is committed in one piece and advised; nothing of the process's own
        // advised mappings is below that (thread stacks and native heaps are not touched).
        Assert.True(advised >= StartupHeap.SmallObjectBytes, $"advised {advised} bytes");
        if (TransparentHugePagesOn())
        {
            // Running a step, the process has allocated megabytes of small objects in the advised part.
            Assert.True(hugeBytes >= 2 << 20, $"AnonHugePages {hugeBytes} bytes in the advised mappings");
        }
    }

    [Fact]
    public async Task Run_WithHugePagesOff_AdvisesNothing()
    {
        var (advised, _) = await InspectRunningAsync(new Dictionary<string, string>
        {
            ["SLUICE_Hello__StepDelay"] = "00:00:30",
            ["SLUICE_HUGE_PAGES"] = "0",
        });

        Assert.Equal(0, advised);
    }

    // Starts a slow run, reads the process's memory map while its first step waits, then stops it.
    private async Task<(long Advised, long HugeBytes)> InspectRunningAsync(Dictionary<string, string> environment)
    {
        using var run = new SampleProcess(_project.Root, environment, "run", "-j", "1");
        await run.WaitForOutputAsync(@"load +started", TimeSpan.FromSeconds(30));
        (long advised, long huge) = Advised(await File.ReadAllLinesAsync($"/proc/{run.Id}/smaps"));
        run.Signal(SampleProcess.SigTerm);
        Assert.Equal(ExitCodes.Cancelled, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        return (advised, huge);
    }

    // Sums the sizes, and the huge pages, of the mappings whose VmFlags carry "hg" (MADV_HUGEPAGE).
    private static (long Advised, long HugeBytes) Advised(string[] smaps)
    {
        long advised = 0, huge = 0, size = 0, anonHuge = 0;
        foreach (string line in smaps)
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                string[] range = fields[0].Split('-');
                size = (long)(Convert.ToUInt64(range[1], 16) - Convert.ToUInt64(range[0], 16));
                anonHuge = 0;
            }
            else if (fields[0] == "AnonHugePages:")
            {
                anonHuge = long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
            else if (fields[0] == "VmFlags:" && fields.Contains("hg"))
            {
                advised += size;
                huge += anonHuge;
            }
        }

        return (advised, huge);
    }

    private static bool TransparentHugePagesOn()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        return File.Exists(setting) && !File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal);
    }
}
