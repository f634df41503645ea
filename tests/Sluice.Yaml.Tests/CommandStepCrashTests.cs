using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Sluice.Yaml.Tests;

/// <summary>The sluice tool killed with SIGKILL while command steps run: right after a step renamed its output into place, and at random moments.</summary>
/// <remarks>
/// The step before the killed one may or may not have its checkpoint committed by then: its folder fsyncs and its
/// checkpoint row wait for the run store's next commit (docs/file-formats.md, "durable when"). Either way every
/// committed checkpoint must name files that are there, and the next run must finish with the same bytes.
/// </remarks>
public sealed class CommandStepCrashTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("sluice-crash-").FullName;
    private readonly ITestOutputHelper _output;

    public CommandStepCrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Theory]
    [InlineData("PowerLoss")]
    [InlineData("ProcessCrash")] // no fsync at all: a killed process must still leave whole files and a consistent store
    public async Task Run_KilledAtRandomMoments_PublishedFilesAreWhole_CheckpointsHaveTheirFiles_AndTheNextRunFinishes(string durability)
    {
        var variables = new Dictionary<string, string> { ["SLUICE_Sluice__Durability"] = durability };
        // A 1 -> 6 -> 1 fan-out of programs writing outputs of about 1 MB (hashed and copied on the large-file path) and a
        // few bytes (the small-file path); forced to run again each time, so every kill lands among moves, copies and fsyncs.
        int iterations = int.Parse(Environment.GetEnvironmentVariable("SLUICE_COMMAND_CRASH_ITERATIONS") ?? "8", CultureInfo.InvariantCulture);
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SLUICE_CRASH_SEED"), CultureInfo.InvariantCulture, out int given) ? given : Random.Shared.Next();
        var random = new Random(seed);
        string middle = string.Concat(Enumerable.Range(1, 6).Select(i => $$"""
              m{{i}}:
                run: [sh, -c, 'cat "$1" > "$2"; seq {{i}} {{i}} 150000 >> "$2"; printf {{i}} > "$3"', sh, "{in:0}", "{out:0}", "{out:1}"]
                inputs: [data/first.txt]
                outputs: [data/m{{i}}.txt, data/m{{i}}.small]

            """));
        await File.WriteAllTextAsync(Path.Combine(_project, "sluice.yaml"), $$"""
            pipeline: crash-soak
            steps:
              first:
                run: [sh, -c, 'seq 1 150000 > "$1"', sh, "{out:0}"]
                outputs: [data/first.txt]
            {{middle}}
              last:
                run: [sh, -c, 'cat "$@" | wc -c > "$0"', "{out:0}", data/m1.small, data/m2.small, data/m3.small, data/m4.small, data/m5.small, data/m6.small]
                inputs: [data/m1.small, data/m2.small, data/m3.small, data/m4.small, data/m5.small, data/m6.small]
                outputs: [data/last.txt]
              single:
                run: [sh, -c, 'cat "$1" "$1" > "$2"', sh, "{in:0}", "{out:0}"]
                inputs: [data/m6.txt]
                outputs: [data/single.txt]
            """);

        (int first, string firstOut, string firstErr) = await SluiceToolTests.SluiceAsync(_project, variables, "run", "-j", "2");
        Assert.True(first == 0, firstOut + firstErr);

        // How long a forced run takes here and now, process start included: the kills are spread over it.
        var watch = Stopwatch.StartNew();
        (int forced, string forcedOut, string forcedErr) = await SluiceToolTests.SluiceAsync(_project, variables, "run", "-j", "2", "--force-all");
        Assert.True(forced == 0, forcedOut + forcedErr);
        TimeSpan duration = watch.Elapsed;
        Dictionary<string, byte[]> expected = Directory.EnumerateFiles(Path.Combine(_project, "data")).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(15, expected.Count);

        int landed = 0;
        for (int i = 0; i < iterations; i++)
        {
            TimeSpan delay = duration * random.NextDouble();
            bool killed = await KillAfterAsync(delay, variables, "run", "-j", "2", "--force-all");
            landed += killed ? 1 : 0;
            string context = $"iteration {i}, killed after {delay.TotalMilliseconds:F0} ms: {killed} (seed {seed})";

            // Forced runs write the same bytes again: a published file is whole if and only if it holds exactly them.
            foreach (string file in Directory.EnumerateFiles(Path.Combine(_project, "data")).Where(f => !f.EndsWith(".sluice-tmp", StringComparison.Ordinal)))
            {
                Assert.True(expected.TryGetValue(Path.GetFileName(file), out byte[]? bytes), $"{context}: unexpected file {file}");
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{context}: {file} is not whole");
            }

            AssertEveryCheckpointHasItsFiles();
            (int next, string nextOut, string nextErr) = await SluiceToolTests.SluiceAsync(_project, variables, "run", "-j", "2");
            Assert.True(next == 0, $"{context}: {nextOut}{nextErr}");
            foreach ((string name, byte[] bytes) in expected)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_project, "data", name))), $"{context}: data/{name} differs after the recovery run");
            }

            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Directory.EnumerateFiles(Path.Combine(_project, "data")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        }

        (int again, string againOut, string againErr) = await SluiceToolTests.SluiceAsync(_project, variables, "run");
        Assert.True(again == 0, againOut + againErr);
        Assert.Contains("0 of 9 steps to run, 9 to reuse", againOut);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_project, ".sluice", "staging")));
        _output.WriteLine($"{durability}: {landed} of {iterations} kills landed while the run was going (seed {seed}, a full run took {duration.TotalMilliseconds:F0} ms)");
        Assert.True(iterations < 4 || landed * 3 >= iterations, $"only {landed} of {iterations} kills landed while the run was going (seed {seed})");
    }

    [Fact]
    public async Task Run_KilledWhileTheNextStepRuns_EveryCommittedCheckpointHasItsFiles_AndTheNextRunFinishes()
    {
        // c kills the sluice process (its parent) the first time it runs, while b's output has just been published.
        await File.WriteAllTextAsync(Path.Combine(_project, "sluice.yaml"), """
            pipeline: crash
            steps:
              a:
                run: [sh, -c, 'printf a > "$1"', sh, "{out:0}"]
                outputs: [data/a.txt]
              b:
                run: [sh, -c, 'cat "$1" > "$2"; printf b >> "$2"', sh, "{in:0}", "{out:0}"]
                inputs: [data/a.txt]
                outputs: [data/b.txt]
              c:
                run: [sh, -c, 'if [ ! -e killed ]; then : > killed; kill -KILL $PPID; sleep 1; exit 1; fi; cat "$1" > "$2"; printf c >> "$2"', sh, "{in:0}", "{out:0}"]
                inputs: [data/b.txt]
                outputs: [data/c.txt]
            """);

        (int killed, string killedOut, string killedErr) = await SluiceToolTests.SluiceAsync(_project, "run", "-j", "1");
        Assert.True(killed == 137, $"expected the run to be killed (137), got {killed}: {killedOut}{killedErr}");
        Assert.Equal("ab", await File.ReadAllTextAsync(Path.Combine(_project, "data", "b.txt")));
        Assert.False(File.Exists(Path.Combine(_project, "data", "c.txt")));
        AssertEveryCheckpointHasItsFiles();

        (int next, string nextOut, string nextErr) = await SluiceAsync("run");
        Assert.True(next == 0, nextOut + nextErr);
        Assert.Contains("was interrupted", nextErr);
        Assert.Equal("abc", await File.ReadAllTextAsync(Path.Combine(_project, "data", "c.txt")));
        AssertEveryCheckpointHasItsFiles();

        (int again, string againOut, string againErr) = await SluiceAsync("run");
        Assert.True(again == 0, againOut + againErr);
        Assert.Contains("0 of 3 steps to run, 3 to reuse", againOut);
    }

    private Task<(int Code, string Output, string Error)> SluiceAsync(params string[] args) => SluiceToolTests.SluiceAsync(_project, args);

    // Starts the tool and sends it SIGKILL after 'delay'; true when it was still running then.
    private async Task<bool> KillAfterAsync(TimeSpan delay, Dictionary<string, string> variables, params string[] args)
    {
        using Process process = Process.Start(SluiceToolTests.StartInfo(_project, variables, args))!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        bool running = !await WaitAsync(process, delay);
        if (running)
        {
            process.Kill(); // SIGKILL on Unix
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        _ = await output;
        _ = await error;
        return running;
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Each checkpoint's artifact object is stored whole: a step's one output file, published with the same length; or
    // the manifest of a step with several, and every file it lists, stored and published.
    private void AssertEveryCheckpointHasItsFiles()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_project, ".sluice", "runs.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT step, artifact_hash, artifact_size, fingerprint_key FROM checkpoints";
        using SqliteDataReader row = query.ExecuteReader();
        while (row.Read())
        {
            string step = row.GetString(0);
            string artifact = ObjectPath(row.GetString(1));
            long size = row.GetInt64(2);
            Assert.True(File.Exists(artifact), $"step {step}: its checkpoint is committed but its artifact object {artifact} is missing");
            Assert.Equal(size, new FileInfo(artifact).Length);
            if (OneOutput(row.GetString(3)) is { } output)
            {
                string file = Path.Combine(_project, output);
                Assert.True(File.Exists(file) && new FileInfo(file).Length == size, $"step {step}: published {file} missing or not {size} bytes");
                continue;
            }

            using JsonDocument files = JsonDocument.Parse(File.ReadAllBytes(artifact));
            foreach (JsonElement file in files.RootElement.GetProperty("Files").EnumerateArray())
            {
                long length = file.GetProperty("Length").GetInt64();
                string stored = ObjectPath(file.GetProperty("Hash").GetString()!);
                string published = Path.Combine(_project, file.GetProperty("Path").GetString()!);
                Assert.True(File.Exists(stored) && new FileInfo(stored).Length == length, $"step {step}: object {stored} missing or not {length} bytes");
                Assert.True(File.Exists(published) && new FileInfo(published).Length == length, $"step {step}: published {published} missing or not {length} bytes");
            }
        }
    }

    // The output of a step whose artifact is its one output file, as its fingerprint key says (docs/file-formats.md); null for a manifest.
    private static string? OneOutput(string fingerprintKey)
    {
        const string Command = "parameters \"(command)\" ";
        string line = fingerprintKey.Split('\n').Single(l => l.StartsWith(Command, StringComparison.Ordinal));
        using JsonDocument command = JsonDocument.Parse(line[Command.Length..]);
        return command.RootElement.TryGetProperty("Stored", out _) ? command.RootElement.GetProperty("Outputs")[0].GetString() : null;
    }

    private string ObjectPath(string hash)
    {
        string hex = hash[(hash.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return Path.Combine(_project, ".sluice", "objects", hex[..2], hex[2..]);
    }
}
