using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Sluice.Cli.Output;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.Planning;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Benchmarks;

/// <summary>One measured run of N no-op steps through the real coordinator, SQLite store and JSON-lines log.</summary>
internal static class SchedulingBenchmark
{
    /// <summary>Runs one measurement in a child process of this benchmark (<c>scheduling-once</c>) and returns it with that process's peak memory.</summary>
    public static async Task<(SchedulingResult Result, long PeakBytes)> RunInChildProcessAsync(string shape, int steps, int parallel, string storeKind, bool log)
    {
        // A JIT build runs as 'dotnet Sluice.Benchmarks.dll'; a Native AOT build is its own executable.
        string host = Environment.ProcessPath!;
        bool viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (viaDotnet)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sluice.Benchmarks.dll"));
        }

        foreach (string arg in (string[])["scheduling-once", "--shape", shape, "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", storeKind, "--log", log ? "jsonl" : "none"])
        {
            start.ArgumentList.Add(arg);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        string output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        string[] last = output.TrimEnd().Split('\n')[^1].Split(' ');
        if (child.ExitCode != 0 || last.Length != 4)
        {
            throw new InvalidOperationException($"benchmark child exited {child.ExitCode}: {output}");
        }

        long[] values = [.. last.Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        return (new SchedulingResult(TimeSpan.FromTicks(values[0]), TimeSpan.FromTicks(values[1]), values[2]), values[3]);
    }

    public static async Task<SchedulingResult> RunAsync(string shape, int steps, int parallel, string storeKind, bool log, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "sluice-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            long start = Stopwatch.GetTimestamp();
            Pipeline pipeline = shape == "chain" ? Chain(steps) : FanOut(steps);
            TimeSpan define = Stopwatch.GetElapsedTime(start);
            ExecutionPlan plan = Planner.Plan(new PipelineGraph(pipeline), StepSelection.All);
            TimeSpan prepare = Stopwatch.GetElapsedTime(start);
            if (Environment.GetEnvironmentVariable("SLUICE_BENCH_DETAIL") == "1")
            {
                Console.Error.WriteLine($"define {define.TotalMilliseconds:F1} ms, graph+plan {(prepare - define).TotalMilliseconds:F1} ms");
            }

            string db = Path.Combine(dir, "runs.db");
            await using (IRunStore store = storeKind == "sqlite" ? await SqliteRunStore.OpenAsync(db) : new NullRunStore())
            {
                using var jsonl = new JsonLinesObserver(Path.Combine(dir, "run.jsonl"));
                IRunObserver[] observers = log ? [jsonl] : [];
                var coordinator = new RunCoordinator(store, TimeProvider.System, observers, new RunOptions { MaxParallel = parallel, LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });
                DateTimeOffset now = DateTimeOffset.UtcNow;
                var run = new RunRecord(RunId.New(now, 1), pipeline.Name, RunStatus.Pending, now, null, "bench", "bench", Environment.ProcessId, null);
                long allocBefore = GC.GetTotalAllocatedBytes();
                TimeSpan pauseBefore = GC.GetTotalPauseDuration();
                int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
                double cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
                double writerBefore = WriterCpuMilliseconds();
                start = Stopwatch.GetTimestamp();
                RunResult result = await coordinator.RunAsync(plan, run, new Dictionary<string, object>(), CancellationToken.None);
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                if (Environment.GetEnvironmentVariable("SLUICE_BENCH_DETAIL") == "1")
                {
                    // Where a run's time can hide: group commits, the process's CPU, and the garbage collector's share.
                    Console.Error.WriteLine($"{shape} {steps}: {(store as SqliteRunStore)?.Writer.TransactionsCommitted ?? 0} transactions, process cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - cpuBefore:F0} ms, gc {GC.CollectionCount(0) - gcBefore[0]}/{GC.CollectionCount(1) - gcBefore[1]}/{GC.CollectionCount(2) - gcBefore[2]}, alloc {(GC.GetTotalAllocatedBytes() - allocBefore) / 1048576.0:F1} MB, pause {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms, writer thread cpu {(WriterCpuMilliseconds() - writerBefore) * 1000 / steps:F1} us/step");
                }
                if (result.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"benchmark run ended {result.Status}: {result.Reason}");
                }

                return new SchedulingResult(prepare, elapsed, storeKind == "sqlite" ? CountRows(db) : 0);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static Pipeline Chain(int n) => Pipeline.Define("chain", p =>
    {
        Artifact<int> previous = p.Step("s0").Executes(ctx => 0);
        for (int i = 1; i < n; i++)
        {
            previous = p.Step($"s{i}").Executes(previous, (ctx, x) => x + 1);
        }
    });

    private static Pipeline FanOut(int n) => Pipeline.Define("fanout", p =>
    {
        Artifact<int> source = p.Step("source").Executes(ctx => 1);
        var middle = new string[n - 2];
        for (int i = 0; i < middle.Length; i++)
        {
            middle[i] = $"m{i}";
            p.Step(middle[i]).Executes(source, (ctx, x) => x * 2);
        }

        p.Step("sink").After(middle).Executes(ctx => { });
    });

    // The SQLite writer thread sets the pace of a large run, so its own CPU time is the figure to watch (Linux only:
    // /proc/self/task/*/schedstat holds each thread's time on a CPU in nanoseconds; the kernel cuts names to 15 bytes).
    private static double WriterCpuMilliseconds()
    {
        double total = 0;
        foreach (string task in Directory.Exists("/proc/self/task") ? Directory.GetDirectories("/proc/self/task") : [])
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd() == "Sluice SQLite w")
                {
                    total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1e6;
                }
            }
            catch (IOException)
            {
                // The thread ended while we looked: a store from an earlier repeat.
            }
        }

        return total;
    }

    private static long CountRows(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM steps) + (SELECT count(*) FROM attempts) + (SELECT count(*) FROM events)";
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>What one benchmark run measured.</summary>
internal readonly record struct SchedulingResult(TimeSpan Prepare, TimeSpan Run, long Rows);
