using System.Text.Json;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Commands;

/// <summary>Command steps run real child processes through the command line: retries, timeouts, outputs, reuse, arguments, logs.</summary>
public sealed class CommandStepTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public CommandStepTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_ExitsWithTransientCodeTwice_RetriesAndSucceedsOnTheThirdAttempt()
    {
        _project.Write("scripts/flaky.sh", """
            n=$(cat state/count 2>/dev/null || echo 0)
            n=$((n + 1))
            mkdir -p state && echo "$n" > state/count
            [ "$n" -lt 3 ] && exit 75
            echo "made on attempt $n" > "$1"
            """);
        Pipeline Define() => Pipeline.Define("flaky", p => p.Step("fetch")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.Zero; r.UseJitter = false; })
            .Runs(c => c.Run("/bin/sh", "scripts/flaky.sh", "{out:0}").Outputs("data/fetched.txt").TransientExitCodes(75)));

        var (exit, output, error) = await _cli.RunAsync(Define, "run");

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Equal("made on attempt 3\n", await File.ReadAllTextAsync(_project.PathTo("data/fetched.txt")));
        JsonElement step = await ShowStepAsync(Define, "fetch");
        Assert.Equal(["failed", "failed", "succeeded"], step.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        Assert.Contains("exited with code 75", step.GetProperty("attempts")[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Run_ExitCodeNotDeclaredTransient_FailsAtOnceNamingProgramCodeAndStandardError()
    {
        Pipeline Define() => Pipeline.Define("broken", p => p.Step("fetch")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.Zero; })
            .Runs(c => c.Run("/bin/sh", "-c", "echo 'no such ticker: XYZ' >&2; exit 3").TransientExitCodes(75)));

        var (exit, _, _) = await _cli.RunAsync(Define, "run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        JsonElement step = await ShowStepAsync(Define, "fetch");
        Assert.Single(step.GetProperty("attempts").EnumerateArray());
        string message = step.GetProperty("attempts")[0].GetProperty("error").GetString()!;
        Assert.Contains("'/bin/sh' exited with code 3", message);
        Assert.Contains("no such ticker: XYZ", message);
    }

    [Fact]
    public async Task Run_TimeoutWithGrandchildrenIgnoringSigterm_KillsTheWholeTree()
    {
        // The script and two grandchildren ignore SIGTERM and record their pids; only SIGKILL to the group ends them.
        _project.Write("scripts/stubborn.sh", """
            trap '' TERM
            for i in 1 2; do
              sh -c 'trap "" TERM; echo $$ >> pids.txt; while :; do sleep 0.05; done' &
            done
            echo $$ >> pids.txt
            while :; do sleep 0.05; done
            """);
        Pipeline Define() => Pipeline.Define("stubborn", p => p.Step("hang").WithTimeout(TimeSpan.FromSeconds(30))
            .Runs(c => c.Run("/bin/sh", "scripts/stubborn.sh")));

        Task<(int Exit, string Out, string Error)> run = _cli.RunAsync(Define, "run");
        string pids = _project.PathTo("pids.txt");
        for (int i = 0; i < 200 && (!File.Exists(pids) || File.ReadAllLines(pids).Length < 3); i++)
        {
            await Task.Delay(50);
        }

        int[] started = [.. File.ReadAllLines(pids).Select(int.Parse)];
        Assert.Equal(3, started.Length);
        Assert.All(started, pid => Assert.True(IsAlive(pid), $"pid {pid} should run before the timeout"));

        _cli.Time.Advance(TimeSpan.FromSeconds(31));
        var (exit, _, _) = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.All(started, pid => Assert.False(IsAlive(pid), $"pid {pid} survived the timeout"));
        JsonElement step = await ShowStepAsync(Define, "hang");
        Assert.Equal("timed-out", step.GetProperty("attempts")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Run_OneDeclaredOutputNotWritten_FailsNamingItAndPublishesNothing()
    {
        Pipeline Define() => Pipeline.Define("forgetful", p => p.Command("split", c => c
            .Run("/bin/sh", "-c", "echo a > \"$0\"", "{out:0}").Outputs("data/a.txt", "data/b.txt")));

        var (exit, _, _) = await _cli.RunAsync(Define, "run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        string message = (await ShowStepAsync(Define, "split")).GetProperty("attempts")[0].GetProperty("error").GetString()!;
        Assert.Contains("did not write 1 of its 2 declared outputs: 'data/b.txt'", message);
        Assert.DoesNotContain("'data/a.txt'", message);
        Assert.False(File.Exists(_project.PathTo("data/a.txt")), "a failed step published an output");
        Assert.False(Directory.Exists(_project.PathTo(".sluice/staging")) && Directory.EnumerateFileSystemEntries(_project.PathTo(".sluice/staging"), "*", SearchOption.AllDirectories).Any(f => File.Exists(f)));
    }

    [Fact]
    public async Task Run_Again_ReusesWhenNothingChanged_AndRerunsNamingTheInputFileWhenOneByteChanges()
    {
        _project.Write("data/in.csv", "day,price\n1,10\n");
        Pipeline Define() => Pipeline.Define("files", p =>
        {
            p.Command("clean", c => c.Run("/bin/sh", "-c", "tr a-z A-Z < \"$0\" > \"$1\"", "{in:0}", "{out:0}").Inputs("data/in.csv").Outputs("data/clean.csv"));
            p.Command("count", c => c.Run("/bin/sh", "-c", "wc -l < \"$0\" > \"$1\"", "{in:0}", "{out:0}").Inputs("data/clean.csv").Outputs("reports/count.txt"));
        });
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);
        Assert.Equal("DAY,PRICE\n1,10\n", await File.ReadAllTextAsync(_project.PathTo("data/clean.csv")));

        var (_, again, _) = await _cli.RunAsync(Define, "run");
        Assert.Contains("0 steps succeeded, 2 reused", again);

        _project.Write("data/in.csv", "day,price\n1,11\n");
        var (exit, _, _) = await _cli.RunAsync(Define, "run");

        Assert.Equal(ExitCodes.Success, exit);
        JsonElement clean = await ShowStepAsync(Define, "clean");
        Assert.Equal("succeeded", clean.GetProperty("status").GetString());
        Assert.Contains("data/in.csv", clean.GetProperty("reason").GetString());
        Assert.Equal("DAY,PRICE\n1,11\n", await File.ReadAllTextAsync(_project.PathTo("data/clean.csv")));

        // Same line count: the second step's input changed, its fingerprint did too, and it ran; its output is the same.
        Assert.Equal("succeeded", (await ShowStepAsync(Define, "count")).GetProperty("status").GetString());
        Assert.Equal("2\n", await File.ReadAllTextAsync(_project.PathTo("reports/count.txt")));
    }

    [Fact]
    public async Task Run_Chain_EachStepSeesTheWholePublishedOutputOfTheOneBefore_AndEveryObjectIsStored()
    {
        // Publishing finishes (fsyncs, renames) while the manifest is stored; the next step may only start once the file is
        // in place. Large outputs make those fsyncs slow enough that a step started early would read a missing file.
        const int steps = 6;
        const int size = 16 << 20;
        Pipeline Define() => Pipeline.Define("relay", p =>
        {
            p.Command("s00", c => c.Run("/bin/sh", "-c", $"head -c {size} /dev/zero > \"$0\" && echo 0 >> \"$0\"", "{out:0}").Outputs("data/s00.txt"));
            for (int i = 1; i < steps; i++)
            {
                int index = i;
                p.Command($"s{index:D2}", c => c.Run("/bin/sh", "-c", "cat \"$0\" > \"$1\" && echo \"$2\" >> \"$1\"", "{in:0}", "{out:0}", $"{index}")
                    .Inputs($"data/s{index - 1:D2}.txt").Outputs($"data/s{index:D2}.txt"));
            }
        });

        var (exit, output, error) = await _cli.RunAsync(Define, "run", "-j", "1");

        Assert.True(exit == ExitCodes.Success, output + error);
        byte[] last = await File.ReadAllBytesAsync(_project.PathTo($"data/s{steps - 1:D2}.txt"));
        Assert.Equal("0\n1\n2\n3\n4\n5\n", System.Text.Encoding.ASCII.GetString(last, size, last.Length - size));
        Assert.Empty(Directory.EnumerateFiles(_project.PathTo(".sluice/objects"), "*.sluice-tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_project.PathTo("data"), "*.sluice-tmp"));

        var (_, again, _) = await _cli.RunAsync(Define, "run");
        Assert.Contains($"0 steps succeeded, {steps} reused", again); // every output object and manifest was stored and is intact
    }

    [Fact]
    public async Task Run_TwoOutputs_BothAreStoredAndPublished_AndARerunReusesThem()
    {
        Pipeline Define() => Pipeline.Define("pair", p => p.Command("split", c => c
            .Run("/bin/sh", "-c", "echo a > \"$0\"; echo b > \"$1\"", "{out:0}", "{out:1}").Outputs("data/a.txt", "data/b.txt")));

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);

        Assert.Equal("a\n", await File.ReadAllTextAsync(_project.PathTo("data/a.txt")));
        Assert.Equal("b\n", await File.ReadAllTextAsync(_project.PathTo("data/b.txt")));
        var (_, again, _) = await _cli.RunAsync(Define, "run");
        Assert.Contains("0 steps succeeded, 1 reused", again); // the manifest names both objects, and both are intact
    }

    [Fact]
    public async Task Run_OneOutput_TheFileItselfIsTheArtifact_NoManifestIsStored_AndTraceFindsTheStep()
    {
        Pipeline Define() => Pipeline.Define("single", p => p.Command("make", c => c.Run("/bin/sh", "-c", "echo made > \"$0\"", "{out:0}").Outputs("data/made.txt")));

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);

        // One object, the file's own bytes; the checkpoint names it, with the file's length.
        string[] objects = [.. Directory.EnumerateFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories)];
        string only = Assert.Single(objects);
        Assert.Equal("made\n", await File.ReadAllTextAsync(only));
        (string hash, long size) = Checkpoint("make");
        Assert.EndsWith(Path.GetFileName(only), hash, StringComparison.Ordinal);
        Assert.Equal(5, size);

        // Found by the published file's own hash, so its lineage is one command away.
        var (exit, trace, error) = await _cli.RunAsync(Define, "artifacts", "trace", "data/made.txt");
        Assert.True(exit == ExitCodes.Success, trace + error);
        Assert.Contains("produced by step make", trace);
        Assert.Contains("0 steps succeeded, 1 reused", (await _cli.RunAsync(Define, "run")).Out);
    }

    [Fact]
    public async Task Run_ACSharpStepAfterAReusedOneOutputCommand_GetsTheFileItsArtifactNames()
    {
        var seen = new List<CommandOutputFile>();
        Pipeline Define(string version) => Pipeline.Define("mixed", p =>
        {
            Artifact<CommandOutputs> made = p.Command("make", c => c.Run("/bin/sh", "-c", "printf abc > \"$0\"", "{out:0}").Outputs("data/abc.txt"));
            p.Step("read").Version(version).Executes(made, (ctx, outputs) =>
            {
                lock (seen)
                {
                    seen.AddRange(outputs.Files);
                }

                return outputs.Files.Count;
            });
        });

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Define("1"), "run")).Exit);
        var (exit, output, error) = await _cli.RunAsync(() => Define("2"), "run");

        // The second run reused 'make' and read its value from the checkpoint alone: the same file, hash and length.
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("1 steps succeeded, 1 reused", output);
        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(new CommandOutputFile("data/abc.txt", Checkpoint("make").Hash, 3), seen[1]);
    }

    [Fact]
    public async Task Gc_KeepsTheObjectsAKeptManifestNames()
    {
        Pipeline Define() => Pipeline.Define("pair", p => p.Command("split", c => c
            .Run("/bin/sh", "-c", "echo a > \"$0\"; echo b > \"$1\"", "{out:0}", "{out:1}").Outputs("data/a.txt", "data/b.txt")));
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);
        string[] before = [.. Directory.EnumerateFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories).Order()];

        var (exit, output, error) = await _cli.RunAsync(Define, "gc", "--keep", "1");

        // The manifest and the two files it names: all three belong to the kept checkpoint.
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Equal(3, before.Length);
        Assert.Equal(before, Directory.EnumerateFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories).Order());
        Assert.Contains("deleted 0 checkpoints and 0 objects", output);
    }

    [Fact]
    public async Task Run_StagingFoldersLeftByAKilledRun_AreRemovedAndNeverPublished()
    {
        // What a run killed mid-step leaves: its staging folder with a half-written output.
        string dead = _project.PathTo(".sluice/staging/20261127-101500-dead/make.1/data/hi.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(dead)!);
        await File.WriteAllTextAsync(dead, "half");
        Pipeline Define() => Pipeline.Define("gone", p => p.Command("make", c => c.Run("/bin/sh", "-c", "echo hi > \"$0\"", "{out:0}").Outputs("data/hi.txt")));

        var (exit, _, error) = await _cli.RunAsync(Define, "run");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("removed the staging folders of 1 interrupted run(s)", error);
        Assert.Equal("hi\n", await File.ReadAllTextAsync(_project.PathTo("data/hi.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_project.PathTo(".sluice/staging")));
    }

    [Fact]
    public async Task Run_PublishedOutputDeleted_RerunsTheStepToRepublishIt()
    {
        Pipeline Define() => Pipeline.Define("gone", p => p.Command("make", c => c.Run("/bin/sh", "-c", "echo hi > \"$0\"", "{out:0}").Outputs("data/hi.txt")));
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);
        File.Delete(_project.PathTo("data/hi.txt"));

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);

        Assert.Equal("hi\n", await File.ReadAllTextAsync(_project.PathTo("data/hi.txt")));
        Assert.Equal("output 'data/hi.txt' missing", (await ShowStepAsync(Define, "make")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Run_ArgumentsWithShellSyntax_ReachTheProgramByteExactAndNoShellRunsThem()
    {
        string[] tricky = ["a;b", "$(touch x)", "`touch x`", "\"double\" 'single'", "line1\nline2", " spaced ", "{not-a-placeholder}", "ünï©ødé"];
        Pipeline Define() => Pipeline.Define("argv", p => p.Command("echo-args", c => c
            .Run("/usr/bin/python3", ["-c", "import json, sys; open(sys.argv[1], 'w', encoding='utf-8').write(json.dumps(sys.argv[2:]))", "{out:0}", .. tricky])
            .Outputs("data/argv.json")));

        var (exit, output, error) = await _cli.RunAsync(Define, "run");

        Assert.True(exit == ExitCodes.Success, output + error);
        string[] received = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(_project.PathTo("data/argv.json")))!;
        Assert.Equal(tricky, received);
        Assert.False(File.Exists(_project.PathTo("x")), "a shell ran an argument");
    }

    [Fact]
    public async Task Run_ProgramWritesToStdoutAndStderr_LinesLandInTheStepLog()
    {
        Pipeline Define() => Pipeline.Define("chatty", p => p.Command("talk", c => c
            .Run("/bin/sh", "-c", "echo 'to stdout'; echo 'to stderr' >&2; echo \"mode=$MODE\"").Env("MODE", "fast")));

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Define, "run")).Exit);

        string log = await File.ReadAllTextAsync(Directory.GetFiles(_project.PathTo("logs"), "talk.log", SearchOption.AllDirectories).Single());
        Assert.Matches("info.*to stdout", log);
        Assert.Matches("warn.*to stderr", log);
        Assert.Contains("mode=fast", log);
    }

    [Fact]
    public async Task Run_ProgramNotFound_FailsWithAHint()
    {
        Pipeline Define() => Pipeline.Define("missing", p => p.Command("nothing", c => c.Run("no-such-program-sluice")));

        Assert.Equal(ExitCodes.RunFailed, (await _cli.RunAsync(Define, "run")).Exit);

        string message = (await ShowStepAsync(Define, "nothing")).GetProperty("attempts")[0].GetProperty("error").GetString()!;
        Assert.Contains("Program 'no-such-program-sluice' was not found on PATH", message);
    }

    private (string Hash, long Size) Checkpoint(string step)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_project.PathTo(".sluice/runs.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT artifact_hash, artifact_size FROM checkpoints WHERE step = $step ORDER BY created_at DESC LIMIT 1";
        query.Parameters.AddWithValue("$step", step);
        using Microsoft.Data.Sqlite.SqliteDataReader row = query.ExecuteReader();
        Assert.True(row.Read(), $"no checkpoint of {step}");
        return (row.GetString(0), row.GetInt64(1));
    }

    [Fact]
    public async Task Run_OneAtATime_NoTwoProgramsOverlap_ButTheNextStartsWhileOutputsArePublished()
    {
        // Each program claims a marker that only one may hold (noclobber) for a tenth of a second, and gives it up
        // before it exits: a second program running at the same time fails (with -j 2, this run does). The 8 MiB
        // outputs keep each step busy hashing and fsyncing after its program is gone, which is when the next may start.
        _project.Write("scripts/alone.sh", """
            set -C
            : > running.lock || { echo "another program is running" >&2; exit 9; }
            head -c 8388608 /dev/zero > "$1"
            sleep 0.1
            rm running.lock
            """);
        Pipeline Define() => Pipeline.Define("alone", p =>
        {
            for (int i = 0; i < 6; i++)
            {
                p.Command($"s{i}", c => c.Run("/bin/sh", "scripts/alone.sh", "{out:0}").Outputs($"data/s{i}.bin"));
            }
        });

        var (exit, output, error) = await _cli.RunAsync(Define, "run", "-j", "1");

        Assert.True(exit == ExitCodes.Success, output + error);

        // The clock is the test's, so the order of run.jsonl's lines tells what happened first.
        string log = Directory.GetFiles(_project.PathTo("logs"), "run.jsonl", SearchOption.AllDirectories).Single();
        string[] events = [.. File.ReadAllLines(log)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString() is "step.started" or "step.succeeded")
            .Select(e => $"{e.GetProperty("event").GetString()![5..]} {e.GetProperty("step").GetString()}")];
        Assert.Equal(12, events.Length);
        int Index(string e) => Array.IndexOf(events, e);
        Assert.True(
            Enumerable.Range(0, 5).Any(i => Index($"started s{i + 1}") < Index($"succeeded s{i}")),
            "no program started while the step before it was still publishing: " + string.Join(", ", events));
    }

    private async Task<JsonElement> ShowStepAsync(Func<Pipeline> define, string step)
    {
        var (_, json, _) = await _cli.RunAsync(define, "show", "last", "--json");
        return JsonDocument.Parse(json).RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step).Clone();
    }

    private static bool IsAlive(int pid) => Processes.ProcessTable.IsAlive(pid);
}
