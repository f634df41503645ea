using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Sluice.Cli.Tests.EndToEnd;

/// <summary>
/// Crash safety: the sample is killed with SIGKILL at random moments while it writes large artifacts, and
/// after each kill the published files, the run store and the next run are checked.
/// </summary>
/// <remarks>
/// Iterations come from <c>SLUICE_CRASH_ITERATIONS</c> (default 50; bench/soak-crash.sh runs more) and the
/// kill moments from a seeded <see cref="Random"/>: <c>SLUICE_CRASH_SEED</c> replays a failure, whose message
/// names the seed. Each iteration runs the sample with a <c>StepDelay</c> of a few ticks unique to it: the
/// outputs are the same bytes, but every step gets a fresh fingerprint, so the iteration computes and commits
/// everything again and "reused" means committed by this iteration's killed runs.
/// </remarks>
[Collection("processes")]
public sealed class CrashTests : IDisposable
{
    private const int PayloadMegabytes = 8;
    private static readonly string[] Published = ["data/expanded.json", "reports/hello.txt"];
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private readonly TempProject _reference = new();
    private readonly TempProject _project = new();
    private readonly ITestOutputHelper _output;

    public CrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _reference.Dispose();
        _project.Dispose();
    }

    [Fact]
    public async Task Run_KilledAtRandomMoments_KeepsOutputsWholeStoreConsistentAndResumes()
    {
        int iterations = int.Parse(Environment.GetEnvironmentVariable("SLUICE_CRASH_ITERATIONS") ?? "50", CultureInfo.InvariantCulture);
        int seed = Environment.GetEnvironmentVariable("SLUICE_CRASH_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Environment.TickCount;
        _output.WriteLine($"seed {seed}, {iterations} iterations");
        var random = new Random(seed);

        // The uninterrupted reference: its published bytes are what every recovered run must produce.
        var (exit, output, error) = await SampleProcess.RunAsync(_reference.Root, Settings(TimeSpan.Zero), "run");
        Assert.True(exit == ExitCodes.Success, output + error);

        // A second, warm run that executes every step again sets the window the kills are spread over.
        var clock = Stopwatch.StartNew();
        (exit, output, error) = await SampleProcess.RunAsync(_reference.Root, Settings(TimeSpan.Zero), "run", "--force-all");
        TimeSpan duration = clock.Elapsed;
        Assert.True(exit == ExitCodes.Success, output + error);
        var expected = Published.ToDictionary(p => p, p => Hash(_reference.PathTo(p)), StringComparer.Ordinal);
        Assert.True(new FileInfo(_reference.PathTo("data/expanded.json")).Length > PayloadMegabytes * 900_000L, "the payload is too small to be killed mid-write");
        _output.WriteLine($"reference run took {duration.TotalMilliseconds:F0} ms");

        var tally = new Tally();
        for (int i = 0; i < iterations; i++)
        {
            try
            {
                await IterateAsync(i, random, duration, expected, tally);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"Crash test failed at iteration {i} with seed {seed} (replay with SLUICE_CRASH_SEED={seed}): {e.Message}", e);
            }
        }

        _output.WriteLine($"{tally.Kills} kills, {tally.Landed} of them while the sample ran; {tally.TempFilesLeft} temp files left by killed runs (removed by recovery)");

        // A test whose kills all came too late would check nothing: a good share must land mid-run
        // (about half do; killed recovery runs are short, as they reuse what was committed).
        Assert.True(tally.Landed * 3 >= tally.Kills, $"only {tally.Landed} of {tally.Kills} kills landed while the sample ran (seed {seed})");
    }

    private async Task IterateAsync(int iteration, Random random, TimeSpan duration, Dictionary<string, string> expected, Tally tally)
    {
        // A StepDelay of iteration + 1 ticks changes every fingerprint, not the outputs.
        Dictionary<string, string> env = Settings(TimeSpan.FromTicks(iteration + 1));
        HashSet<string> earlierRuns = await QueryColumnAsync("SELECT id FROM runs");
        if (iteration % 2 == 1)
        {
            // As after clearing the cache: objects are written by rename again, and the outputs published afresh.
            DeleteIfExists(_project.PathTo(".sluice/objects"));
            foreach (string path in Published)
            {
                File.Delete(_project.PathTo(path));
            }
        }

        // Kill a run, and sometimes the recovery run after it too.
        int kills = random.Next(3) == 0 ? 2 : 1;
        for (int k = 0; k < kills; k++)
        {
            tally.Kills++;
            tally.Landed += await KillDuringRunAsync(random, duration, env) ? 1 : 0;
            AssertPublishedWholeOrAbsent(expected);
            await AssertIntegrityAsync();
        }

        // Steps whose completion this iteration committed: their checkpoints name runs started in it.
        // (A first run killed between two schema migrations, each its own transaction, leaves no checkpoints table yet: nothing committed.)
        HashSet<string> committed = (await QueryColumnAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'")).Count == 0
            ? []
            : await QueryColumnAsync("SELECT step FROM checkpoints WHERE run_id NOT IN (SELECT value FROM json_each(@earlier))", earlierRuns);

        HashSet<string> killedRunsTemps = TempFiles();
        var (exit, output, error) = await SampleProcess.RunAsync(_project.Root, env, "run");
        Assert.True(exit == ExitCodes.Success, $"the recovery run failed ({exit}):\n{output}\n{error}");
        await AssertIntegrityAsync();

        foreach ((string path, string hash) in expected)
        {
            Assert.True(File.Exists(_project.PathTo(path)), $"{path} is missing after the recovery run");
            Assert.True(Hash(_project.PathTo(path)) == hash, $"{path} differs from the uninterrupted run's");
        }

        Assert.Empty(await QueryColumnAsync(
            "SELECT 'run ' || id FROM runs WHERE status IN ('pending', 'running') " +
            "UNION ALL SELECT 'step ' || run_id || '/' || step FROM steps WHERE status IN ('pending', 'running') " +
            "UNION ALL SELECT 'attempt ' || run_id || '/' || step FROM attempts WHERE outcome = 'running'"));

        // Every run the kills left behind is interrupted, unless the kill came after it had finished.
        HashSet<string> killedRuns = await QueryColumnAsync(
            "SELECT id || ' ' || status FROM runs WHERE id NOT IN (SELECT value FROM json_each(@earlier)) ORDER BY created_at DESC LIMIT -1 OFFSET 1", earlierRuns);
        Assert.All(killedRuns, r => Assert.True(r.EndsWith(" interrupted", StringComparison.Ordinal) || r.EndsWith(" succeeded", StringComparison.Ordinal), r));

        // A committed step is reused, never executed again; the others run.
        var (showExit, json, showError) = await SampleProcess.RunAsync(_project.Root, null, "show", "last", "--json");
        Assert.True(showExit == 0, showError);
        foreach (JsonElement step in JsonDocument.Parse(json).RootElement.GetProperty("steps").EnumerateArray())
        {
            string name = step.GetProperty("step").GetString()!;
            string status = step.GetProperty("status").GetString()!;
            string want = committed.Contains(name) ? "reused" : "succeeded";
            Assert.True(status == want, $"step {name} is {status} in the recovery run, expected {want} (committed before it: {string.Join(", ", committed)})");
        }

        // The recovery run cleans what the killed runs left, and leaves none of its own.
        HashSet<string> temps = TempFiles();
        string[] leftovers = [.. temps];
        tally.TempFilesLeft += killedRunsTemps.Count;

        Assert.True(leftovers.Length == 0, "temp files left after a completed run: " + string.Join(", ", leftovers));
    }

    /// <summary>Starts a run and kills it after a random delay; returns whether it was still running when killed.</summary>
    private async Task<bool> KillDuringRunAsync(Random random, TimeSpan duration, Dictionary<string, string> env)
    {
        using var run = new SampleProcess(_project.Root, env, "run");
        if (random.Next(2) == 0)
        {
            // While the large artifact is being produced, stored or published (or, once committed, reused).
            try
            {
                await run.WaitForOutputAsync(@"expand +\w+", ProcessLimit);
            }
            catch (TimeoutException) when (run.HasExited)
            {
                // The run ended before its last lines were read: nothing left to kill.
                await run.WaitAsync(ProcessLimit);
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds / 4));
        }
        else
        {
            // Anywhere in the run, start-up and recovery of the store included.
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds * 0.7));
        }

        bool landed = !run.HasExited;
        if (landed)
        {
            run.Signal(SampleProcess.SigKill);
        }

        await run.WaitAsync(ProcessLimit);
        return landed;
    }

    private void AssertPublishedWholeOrAbsent(Dictionary<string, string> expected)
    {
        foreach ((string path, string hash) in expected)
        {
            string full = _project.PathTo(path);
            if (File.Exists(full))
            {
                long length = new FileInfo(full).Length;
                Assert.True(Hash(full) == hash, $"{path} after a kill is not the complete output ({length} bytes)");
            }
        }
    }

    private async Task AssertIntegrityAsync()
    {
        string db = _project.PathTo(".sluice/runs.db");
        if (!File.Exists(db))
        {
            return; // killed before the store was created
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync());
    }

    private async Task<HashSet<string>> QueryColumnAsync(string sql, IEnumerable<string>? earlier = null)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        string db = _project.PathTo(".sluice/runs.db");
        if (!File.Exists(db))
        {
            return values;
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        if (earlier is not null)
        {
            command.Parameters.AddWithValue("@earlier", JsonSerializer.Serialize(earlier));
        }

        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private sealed class Tally
    {
        public int Kills { get; set; }

        public int Landed { get; set; }

        public int TempFilesLeft { get; set; }
    }

    private static Dictionary<string, string> Settings(TimeSpan stepDelay) => new()
    {
        ["SLUICE_Hello__PayloadMegabytes"] = PayloadMegabytes.ToString(CultureInfo.InvariantCulture),
        ["SLUICE_Hello__StepDelay"] = stepDelay.ToString("c", CultureInfo.InvariantCulture),
    };

    private HashSet<string> TempFiles() =>
        [.. Directory.EnumerateFiles(_project.Root, "*.sluice-tmp", SearchOption.AllDirectories)];

    private static string Hash(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
