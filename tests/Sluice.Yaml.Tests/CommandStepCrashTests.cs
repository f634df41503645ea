using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Sluice.Yaml.Tests;

/// <summary>The sluice tool killed with SIGKILL while a command step runs, right after the step before it renamed its output into place.</summary>
/// <remarks>
/// The step before the killed one may or may not have its checkpoint committed by then: its folder fsyncs and its
/// checkpoint row wait for the run store's next commit (docs/file-formats.md, "durable when"). Either way every
/// committed checkpoint must name files that are there, and the next run must finish with the same bytes.
/// </remarks>
public sealed class CommandStepCrashTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("sluice-crash-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

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

    // Each checkpoint's manifest object is stored whole, and so is every file it lists, stored and published.
    private void AssertEveryCheckpointHasItsFiles()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_project, ".sluice", "runs.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT step, artifact_hash, artifact_size FROM checkpoints";
        using SqliteDataReader row = query.ExecuteReader();
        while (row.Read())
        {
            string step = row.GetString(0);
            string manifest = ObjectPath(row.GetString(1));
            Assert.True(File.Exists(manifest), $"step {step}: its checkpoint is committed but its manifest object {manifest} is missing");
            Assert.Equal(row.GetInt64(2), new FileInfo(manifest).Length);
            using JsonDocument files = JsonDocument.Parse(File.ReadAllBytes(manifest));
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

    private string ObjectPath(string hash)
    {
        string hex = hash[(hash.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return Path.Combine(_project, ".sluice", "objects", hex[..2], hex[2..]);
    }
}
