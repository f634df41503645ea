using System.Globalization;
using System.Runtime.InteropServices;

namespace Sluice.Cli.Hosting;

/// <summary>Commits the start of the managed heap in one piece and asks Linux to back it with 2 MiB pages.</summary>
/// <remarks>
/// <para>
/// A command is a short-lived process whose cost is mostly memory it touches for the first time: a 10,000-step no-op
/// re-run allocates ~23 MB, and on the machine the benchmarks run on each first touch of a 4 KiB page costs ~10 us in
/// the kernel (5,600 faults, about a third of the process's CPU). A 2 MiB transparent huge page costs one fault for
/// 512 of those pages: touching 64 MB took 4 ms instead of 172 ms there (docs/benchmarks.md). The JVM offers the same
/// as <c>-XX:+UseTransparentHugePages</c>; .NET's own large-page support needs pages reserved by the administrator.
/// </para>
/// <para>
/// The kernel gives a huge page only where a whole aligned 2 MiB range is committed at the fault, and the GC commits
/// its regions 64 KiB at a time as allocation reaches them. A no-GC region of <see cref="SmallObjectBytes"/> makes it
/// commit that much up front; the mappings that appear or grow across that call are the GC's, and only they are
/// advised (<c>MADV_HUGEPAGE</c>), so thread stacks and native heaps keep 4 KiB pages. Allocating past the budget
/// ends the no-GC region with an ordinary collection. Memory committed is not resident until touched, and with
/// 2 MiB pages at most one page per region is touched ahead of use. Anything unexpected (not Linux, transparent huge
/// pages compiled out, an unreadable map) leaves the process as it was: this is only ever a speed-up.
/// Set <c>SLUICE_HUGE_PAGES=0</c> to turn it off.
/// </para>
/// </remarks>
internal static partial class StartupHeap
{
    /// <summary>Gets how many bytes of small objects the first, committed part of the heap holds: as much as a 10,000-step run allocates, with room.</summary>
    public const long SmallObjectBytes = 64L << 20;

    // Large objects (arrays over 85,000 bytes: a big pipeline's dictionaries) have a budget of their own; past either,
    // the GC collects. Committing is cheap, so this is generous.
    private const long LargeObjectBytes = 32L << 20;

    private const int HugePageAdvice = 14; // MADV_HUGEPAGE
    private const ulong HugePageBytes = 2UL << 20;

    private static int s_done;

    /// <summary>Commits and advises the start of the heap, once per process; returns how many bytes were advised (0 when nothing was done).</summary>
    public static long Prepare()
    {
        if (Interlocked.Exchange(ref s_done, 1) != 0 || !OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable("SLUICE_HUGE_PAGES") == "0")
        {
            return 0;
        }

        try
        {
            List<Mapping> before = ReadMappings();
            if (!GC.TryStartNoGCRegion(SmallObjectBytes + LargeObjectBytes, LargeObjectBytes))
            {
                return 0;
            }

            long advised = 0;
            foreach (Mapping mapping in ReadMappings())
            {
                // New or grown, writable, anonymous and big enough to hold a huge page: what the GC just committed. (A
                // JIT process's other threads map a few small pieces meanwhile; a smaller mapping could never gain.)
                if (mapping.Writable && mapping.Anonymous && mapping.End - mapping.Start >= HugePageBytes && !before.Contains(mapping)
                    && Advise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), HugePageAdvice) == 0)
                {
                    advised += (long)(mapping.End - mapping.Start);
                }
            }

            return advised;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentOutOfRangeException
            or FormatException or OverflowException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Only a speed-up: the process runs as it would have.
            return 0;
        }
    }

    // /proc/self/maps: "start-end perms offset dev inode [path]", one mapping per line.
    private static List<Mapping> ReadMappings()
    {
        var mappings = new List<Mapping>(128);
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            mappings.Add(new Mapping(
                ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                fields[1].StartsWith("rw", StringComparison.Ordinal),
                fields.Length < 6 && fields[4] == "0"));
        }

        return mappings;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);

    private readonly record struct Mapping(ulong Start, ulong End, bool Writable, bool Anonymous);
}
