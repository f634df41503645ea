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
        // 300,000 readings: loading them allocates tens of megabytes of strings and numbers, so by the time the next
        // step starts the process has used well past the first part of the heap it was already in.
        _project.Write("data/numbers.csv", string.Join('\n', Enumerable.Range(0, 300_000).Select(i => (100 + (i % 17)).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        long fallbacksBefore = HugePageFallbacks();
        var (advised, resident, huge) = await InspectRunningAsync(new Dictionary<string, string> { ["SLUICE_Hello__StepDelay"] = "00:00:05" }, "stats");
        long fallbacks = HugePageFallbacks() - fallbacksBefore;

        // The no-GC region's small-object part is committed in one piece and advised; nothing of the process's own
        // advised mappings is below that (thread stacks and native heaps are not touched).
        Assert.True(advised >= StartupHeap.SmallObjectBytes, $"advised {advised} bytes");

        // Some 2 MiB ranges of what is used stay in small pages (docs/adr/0008), so only with 4 MiB resident must some
        // of it be huge: unless the kernel had none to give (it counts those faults as fallbacks).
        Assert.True(resident >= 4 << 20, $"only {resident} bytes resident in the advised mappings");
        if (TransparentHugePagesOn() && fallbacks == 0)
        {
            Assert.True(huge >= 2 << 20, $"{huge} bytes of huge pages in {resident} bytes resident in the advised mappings");
        }
    }

    [Fact]
    public async Task Run_WithHugePagesOff_AdvisesNothing()
    {
        var (advised, _, _) = await InspectRunningAsync(new Dictionary<string, string>
        {
            ["SLUICE_Hello__StepDelay"] = "00:00:30",
            ["SLUICE_HUGE_PAGES"] = "0",
        }, "load");

        Assert.Equal(0, advised);
    }

    // Starts a slow run, reads the process's memory map once the step has started (and waits), then stops it.
    private async Task<(long Advised, long Resident, long Huge)> InspectRunningAsync(Dictionary<string, string> environment, string step)
    {
        using var run = new SampleProcess(_project.Root, environment, "run", "-j", "1");
        await run.WaitForOutputAsync(step + " +started", TimeSpan.FromSeconds(60));
        var found = Advised(await File.ReadAllLinesAsync($"/proc/{run.Id}/smaps"));
        run.Signal(SampleProcess.SigTerm);
        Assert.Equal(ExitCodes.Cancelled, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        return found;
    }

    // Sums the sizes, resident bytes and huge pages of the mappings whose VmFlags carry "hg" (MADV_HUGEPAGE).
    private static (long Advised, long Resident, long Huge) Advised(string[] smaps)
    {
        long advised = 0, resident = 0, huge = 0, size = 0, rss = 0, anonHuge = 0;
        foreach (string line in smaps)
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                string[] range = fields[0].Split('-');
                size = (long)(Convert.ToUInt64(range[1], 16) - Convert.ToUInt64(range[0], 16));
                rss = 0;
                anonHuge = 0;
            }
            else if (fields[0] is "Rss:" or "AnonHugePages:")
            {
                long kilobytes = long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                (rss, anonHuge) = fields[0] == "Rss:" ? (kilobytes, anonHuge) : (rss, kilobytes);
            }
            else if (fields[0] == "VmFlags:" && fields.Contains("hg"))
            {
                advised += size;
                resident += rss;
                huge += anonHuge;
            }
        }

        return (advised, resident, huge);
    }

    // How many times the kernel wanted a huge page for a fault and had none (system-wide).
    private static long HugePageFallbacks()
    {
        foreach (string line in File.ReadLines("/proc/vmstat"))
        {
            if (line.StartsWith("thp_fault_fallback ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("thp_fault_fallback ".Length), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static bool TransparentHugePagesOn()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        return File.Exists(setting) && !File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal);
    }
}
