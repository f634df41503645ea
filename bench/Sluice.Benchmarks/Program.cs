using System.Diagnostics;
using System.Globalization;
using Sluice.Benchmarks;

// Scheduling overhead: N no-op steps in a chain or a 1 -> N -> 1 fan-out, every state change
// recorded in a real SQLite file and every event in run.jsonl, as 'run' does.
// Startup: time to the first line of a command; see StartupBenchmark.
// Hashing: content-hash throughput on one core; see HashingBenchmark.
// Telemetry: the scheduling run with logs, metrics and traces listened to, against nothing listening; see TelemetryBenchmark.
// Secrets: artifact scan throughput and log-line redaction cost; see SecretScanBenchmark.
// Usage: Sluice.Benchmarks scheduling [--steps 1000,10000] [--repeat 3] [--warmup 0] [--parallel 2] [--store sqlite|none] [--log jsonl|none] [--fresh]
string mode = args.Length > 0 ? args[0] : "scheduling";

// As a pipeline app's process entry does (PipelineApp): the first 64 MiB of the heap committed at once and advised
// for transparent huge pages. SLUICE_HUGE_PAGES=0 measures without, in the same binary.
_ = Sluice.Cli.Hosting.StartupHeap.Prepare();
int[] sizes = Arg("--steps", "1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int repeat = int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture);
int parallel = int.Parse(Arg("--parallel", "2"), CultureInfo.InvariantCulture);
string storeKind = Arg("--store", "sqlite");
bool log = Arg("--log", "jsonl") != "none";

if (mode == "chain-app")
{
    // A pipeline app of N chained steps, for whole-process timings of full and no-op re-runs:
    // Sluice.Benchmarks chain-app N <sluice command line...>
    int n = int.Parse(args[1], CultureInfo.InvariantCulture);
    return await Sluice.Cli.PipelineApp.RunAsync(args[2..], () => SchedulingBenchmark.Chain(n));
}

if (mode == "startup")
{
    // Usage: Sluice.Benchmarks startup --project DIR --runs 20 -- COMMAND ARGS...
    int separator = Array.IndexOf(args, "--");
    string[] target = args[(separator + 1)..];
    return await StartupBenchmark.RunAsync(target[0], target[1..], Arg("--project", "."), int.Parse(Arg("--runs", "20"), CultureInfo.InvariantCulture));
}

if (mode == "hashing")
{
    // Usage: Sluice.Benchmarks hashing [--size-mib 1024] [--repeat 3] [--dir /tmp/sluice-hashing]
    string directory = Arg("--dir", Path.Combine(Path.GetTempPath(), "sluice-hashing"));
    return await HashingBenchmark.RunAsync(int.Parse(Arg("--size-mib", "1024"), CultureInfo.InvariantCulture), repeat, directory);
}

if (mode == "telemetry")
{
    // Usage: Sluice.Benchmarks telemetry [--steps 10000] [--repeat 5] [--parallel 2] [--listen logs,metrics,traces] [--store sqlite|none] [--log jsonl|none]
    int[] steps = Arg("--steps", "10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    return await TelemetryBenchmark.RunAsync(steps, repeat, parallel, Arg("--listen", "logs,metrics,traces").Split(','), storeKind, log);
}

if (mode == "secrets")
{
    // Usage: Sluice.Benchmarks secrets [--size-mib 256] [--repeat 3]
    return await SecretScanBenchmark.RunAsync(int.Parse(Arg("--size-mib", "256"), CultureInfo.InvariantCulture), repeat);
}

if (mode is not ("scheduling" or "scheduling-once"))
{
    Console.Error.WriteLine($"unknown benchmark '{mode}'; known: scheduling, telemetry, startup, hashing, secrets");
    return 2;
}

if (mode == "scheduling-once")
{
    // One run in this process, as `run` is one run per process: what --fresh starts for each repetition.
    SchedulingResult once = await SchedulingBenchmark.RunAsync(Arg("--shape", "chain"), sizes[0], parallel, storeKind, log);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{once.Prepare.Ticks} {once.Run.Ticks} {once.Rows} {Process.GetCurrentProcess().PeakWorkingSet64}"));
    return 0;
}

// --fresh: every repetition in a process of its own, from the same process entry as a pipeline app (StartupHeap),
// so no run pays for another's garbage or finds the heap, caches and code already warm.
bool fresh = Array.IndexOf(args, "--fresh") >= 0;
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInfo()}; max-parallel {parallel}; store {storeKind}; log {(log ? "jsonl" : "none")}; best of {repeat}{(fresh ? ", a process per run" : "")}");
Console.WriteLine("shape    steps   wall ms   us/step   define+plan ms   store rows   peak MB");
// --warmup N: N untimed runs of each shape first, so the JIT build's tier-up is not charged to whichever shape runs first.
for (int w = 0; w < int.Parse(Arg("--warmup", "0"), CultureInfo.InvariantCulture); w++)
{
    foreach (string shape in new[] { "chain", "fanout" })
    {
        await SchedulingBenchmark.RunAsync(shape, sizes.Max(), parallel, storeKind, log);
    }
}

foreach (string shape in new[] { "chain", "fanout" })
{
    foreach (int n in sizes)
    {
        SchedulingResult best = default;
        long peak = 0;
        for (int r = 0; r < repeat; r++)
        {
            (SchedulingResult result, long resultPeak) = fresh
                ? await SchedulingBenchmark.RunInChildProcessAsync(shape, n, parallel, storeKind, log)
                : (await SchedulingBenchmark.RunAsync(shape, n, parallel, storeKind, log), Process.GetCurrentProcess().PeakWorkingSet64);
            peak = Math.Max(peak, resultPeak);
            if (r == 0 || result.Run < best.Run)
            {
                best = result;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape,-7} {n,6} {best.Run.TotalMilliseconds,9:F1} {best.Run.TotalMicroseconds / n,9:F1} {best.Prepare.TotalMilliseconds,16:F1} {best.Rows,12} {peak / (1024.0 * 1024),9:F0}"));
    }
}

return 0;

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static string RuntimeInfo() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;
