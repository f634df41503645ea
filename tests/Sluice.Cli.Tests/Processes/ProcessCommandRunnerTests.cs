using Sluice.Execution;
using Sluice.Processes;

namespace Sluice.Cli.Tests.Processes;

/// <summary>The runner starts a real program by posix_spawn: its own session and group, default signals, empty input, exit codes as .NET reports them.</summary>
public sealed class ProcessCommandRunnerTests
{
    private readonly ProcessCommandRunner _runner = new();

    [Fact]
    public async Task RunAsync_Program_LeadsItsOwnSessionAndProcessGroup()
    {
        // /proc/PID/stat: pid (comm) state ppid pgrp session ...; "(sh)" has no space, so the fields split on spaces.
        (CommandExit exit, List<string> lines) = await RunAsync("/bin/sh", "-c", "read pid comm state ppid pgrp session rest < /proc/$$/stat; echo $pid $pgrp $session $PPID");

        Assert.Equal(0, exit.ExitCode);
        string[] ids = Assert.Single(lines).Split(' ');
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), ids[3]); // spawned directly: no setsid in between
    }

    [Fact]
    public async Task RunAsync_Program_StartsWithNoSignalIgnoredNoneBlockedAndEmptyInput()
    {
        // .NET ignores SIGPIPE in its own process; a child must not inherit that, nor a blocked mask. cat ends at once on /dev/null.
        (CommandExit exit, List<string> lines) = await RunAsync("/bin/sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/$$/status; cat; echo read-done");

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("SigBlk:\t0000000000000000", lines);
        // Every signal (SIGPIPE is 13) keeps its default action, the real-time ones too, except glibc's own internal signals
        // 32 and 33, which its posix_spawn leaves ignored and a program's C library sets up again for itself.
        ulong ignored = ulong.Parse(lines.Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0UL, ignored & ~(0x3UL << 31));
        Assert.Equal("read-done", lines[^1]);
    }

    [Fact]
    public async Task RunAsync_ProgramKilledBySignal_ReportsOneHundredTwentyEightPlusTheSignal()
    {
        (CommandExit exit, _) = await RunAsync("/bin/sh", "-c", "echo dying >&2; kill -9 $$");

        Assert.Equal(137, exit.ExitCode);
        Assert.Equal(["dying"], exit.ErrorTail);
    }

    [Fact]
    public async Task RunAsync_FileNotExecutable_FailsToStartNamingTheProgram()
    {
        string folder = Directory.CreateTempSubdirectory("sluice-runner-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "plain.txt"), "not a program");
            var launch = new CommandLaunch("./plain.txt", [], folder, new Dictionary<string, string>());

            CommandFailedException e = await Assert.ThrowsAsync<CommandFailedException>(() => _runner.RunAsync(launch, (_, _) => { }, CancellationToken.None));

            Assert.Contains("Could not start './plain.txt'", e.Message);
            Assert.Contains("ermission denied", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_ManyInParallel_EachSeesOnlyItsOwnOutputAndEnds()
    {
        // Pipe ends are close-on-exec: a command started while another runs must not hold the other's pipes open.
        Task<(CommandExit Exit, List<string> Lines)>[] runs = [.. Enumerable.Range(0, 16).Select(i => RunAsync("/bin/sh", "-c", $"sleep 0.0{i % 5}; echo {i}"))];

        (CommandExit Exit, List<string> Lines)[] results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(0, results[i].Exit.ExitCode);
            Assert.Equal([i.ToString(System.Globalization.CultureInfo.InvariantCulture)], results[i].Lines);
        }
    }

    [Fact]
    public async Task RunAsync_AlongsideSystemDiagnosticsProcess_EachReaperSeesOnlyItsOwnChildren()
    {
        // .NET's SIGCHLD handler reaps the children Process started; ours are reaped by pid. Neither may steal the other's exit code.
        using var dotnetChild = System.Diagnostics.Process.Start("/bin/sh", ["-c", "sleep 0.3; exit 7"]);
        Task<(CommandExit Exit, List<string> Lines)>[] ours = [.. Enumerable.Range(0, 6).Select(i => RunAsync("/bin/sh", "-c", $"exit {i + 1}"))];
        (CommandExit Exit, List<string> Lines)[] results = await Task.WhenAll(ours).WaitAsync(TimeSpan.FromSeconds(60));
        await dotnetChild.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([1, 2, 3, 4, 5, 6], results.Select(r => r.Exit.ExitCode));
        Assert.Equal(7, dotnetChild.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ProgramEndsAtOnce_IsStillReaped()
    {
        for (int i = 0; i < 20; i++)
        {
            (CommandExit exit, _) = await RunAsync("/bin/true").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, exit.ExitCode);
        }
    }

    [Theory]
    [InlineData("sh")] // found on PATH, and remembered there after the first start
    [InlineData("/bin/sh")]
    [InlineData("./run.sh")] // relative to the missing folder
    public async Task RunAsync_WorkingDirectoryMissing_FailsNamingTheFolder_EvenAfterTheProgramRanElsewhere(string program)
    {
        string folder = Directory.CreateTempSubdirectory("sluice-runner-").FullName;
        try
        {
            // The folder is not checked before each start any more, only when the start fails: a run elsewhere first
            // puts a PATH program in the runner's table, so the second start takes the path that trusts it.
            Assert.Equal(["ok"], await LinesAsync(new CommandLaunch("sh", ["-c", "echo ok"], Path.GetTempPath(), new Dictionary<string, string>())));
            string missing = Path.Combine(folder, "gone");
            var launch = new CommandLaunch(program, ["-c", "echo never"], missing, new Dictionary<string, string>());

            CommandFailedException e = await Assert.ThrowsAsync<CommandFailedException>(() => _runner.RunAsync(launch, (_, _) => { }, CancellationToken.None));

            Assert.Equal($"The working directory '{missing}' of '{program}' does not exist: create it or fix WorkingDirectory(...).", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_ProgramFoundOnPathThenReplaced_IsFoundAgainWhereItIsNow()
    {
        string first = Directory.CreateTempSubdirectory("sluice-path-a-").FullName;
        string second = Directory.CreateTempSubdirectory("sluice-path-b-").FullName;
        try
        {
            WriteScript(Path.Combine(first, "greet"), "echo from-a");
            WriteScript(Path.Combine(second, "greet"), "echo from-b");
            var environment = new Dictionary<string, string> { ["PATH"] = first + ":" + second + ":/usr/bin:/bin" };
            var launch = new CommandLaunch("greet", [], Path.GetTempPath(), environment);

            Assert.Equal(["from-a"], await LinesAsync(launch));
            File.Delete(Path.Combine(first, "greet")); // the remembered program is gone: the lookup starts again

            Assert.Equal(["from-b"], await LinesAsync(launch));
            Assert.Equal(["from-b"], await LinesAsync(launch with { Environment = new Dictionary<string, string> { ["PATH"] = second } }));
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }

        static void WriteScript(string path, string line)
        {
            File.WriteAllText(path, "#!/bin/sh\n" + line + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [Fact]
    public async Task RunAsync_Environment_InheritedLessSluiceSettingsWithDeclaredOnTop()
    {
        // Read once per runner: a new runner sees these, set before its first command.
        Environment.SetEnvironmentVariable("RUNNER_TEST_KEPT", "inherited");
        Environment.SetEnvironmentVariable("RUNNER_TEST_OVERRIDDEN", "inherited");
        Environment.SetEnvironmentVariable("SLUICE_RUNNER_TEST_SECRET", "hunter2");
        try
        {
            var runner = new ProcessCommandRunner();
            var declared = new Dictionary<string, string> { ["RUNNER_TEST_OVERRIDDEN"] = "declared", ["RUNNER_TEST_NEW"] = "a;b $(c) `d`" };
            var launch = new CommandLaunch("/bin/sh", ["-c", "env | grep -E '^(RUNNER_TEST|SLUICE_RUNNER_TEST)' | sort"], Path.GetTempPath(), declared);
            var plain = launch with { Environment = new Dictionary<string, string>() };

            List<string> withDeclared = await LinesAsync(runner, launch);
            List<string> withNone = await LinesAsync(runner, plain);

            Assert.Equal(["RUNNER_TEST_KEPT=inherited", "RUNNER_TEST_NEW=a;b $(c) `d`", "RUNNER_TEST_OVERRIDDEN=declared"], withDeclared);
            Assert.Equal(["RUNNER_TEST_KEPT=inherited", "RUNNER_TEST_OVERRIDDEN=inherited"], withNone);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RUNNER_TEST_KEPT", null);
            Environment.SetEnvironmentVariable("RUNNER_TEST_OVERRIDDEN", null);
            Environment.SetEnvironmentVariable("SLUICE_RUNNER_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task RunAsync_OutputWithCarriageReturnsAndNoFinalNewline_ArrivesAsLines()
    {
        (CommandExit exit, List<string> lines) = await RunAsync("/bin/sh", "-c", "printf 'a\\r\\nb\\rc\\nlast'");

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["a", "b", "c", "last"], lines);
    }

    [Fact]
    public async Task RunAsync_AwaitedFromThePool_GoesOnOnACommandThreadThatWaitsForTheNextCommandItself()
    {
        (bool startedOnPool, Thread waiter, bool adopted, Thread after, int[] codes) = await Task.Run(() => TwoInARowAsync(_runner));

        // The exit woke the thread that waited, and what awaited it runs there: no hand-off back to the pool. A command
        // started from that thread is waited for right there, so the next step goes on where the last one ended.
        Assert.True(startedOnPool);
        Assert.Equal([0, 0], codes);
        Assert.False(waiter.IsThreadPoolThread);
        Assert.StartsWith("Sluice command", waiter.Name, StringComparison.Ordinal);
        Assert.True(adopted);
        Assert.Same(waiter, after);
    }

    [Fact]
    public async Task RunAsync_OnACommandThreadWithAWakeDeferred_WakesOnceTheProgramRunsNotAfterItEnds()
    {
        string folder = Directory.CreateTempSubdirectory("sluice-wake-").FullName;
        try
        {
            string flag = Path.Combine(folder, "woken");
            int code = await Task.Run(() => WakeThenWaitForItAsync(_runner, flag)).WaitAsync(TimeSpan.FromSeconds(60));

            // The program waited for the file the deferred wake makes: it ended with 0 only if the wake came during its run.
            Assert.Equal(0, code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ProgramLeavesABackgroundJob_TheJobEndsWithIt(bool pidfd)
    {
        var runner = new ProcessCommandRunner(new ProcessCommandRunnerOptions { WatchExitWithPidFd = pidfd });
        var launch = new CommandLaunch("/bin/sh", ["-c", "sleep 60 & echo $!"], Path.GetTempPath(), new Dictionary<string, string>());

        List<string> lines = await LinesAsync(runner, launch).WaitAsync(TimeSpan.FromSeconds(30));

        // The job held both pipes: the call returned because the job was ended, not because it finished.
        int job = int.Parse(Assert.Single(lines), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(ProcessTable.IsAlive(job), $"the background job {job} is still running");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_CancelledWhileTheGroupIgnoresSigterm_KillsItAfterTheGraceAndThrows(bool pidfd)
    {
        var runner = new ProcessCommandRunner(new ProcessCommandRunnerOptions { KillGracePeriod = TimeSpan.FromMilliseconds(300), WatchExitWithPidFd = pidfd });
        var launch = new CommandLaunch("/bin/sh", ["-c", "trap '' TERM; sleep 60 & echo $$ $!; wait"], Path.GetTempPath(), new Dictionary<string, string>());
        using var cancel = new CancellationTokenSource();
        var ids = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<CommandExit> running = runner.RunAsync(launch, (_, line) => ids.TrySetResult(line), cancel.Token);
        string[] pids = (await ids.Task.WaitAsync(TimeSpan.FromSeconds(30))).Split(' ');
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)); // SIGKILL came after the grace period
        Assert.All(pids, pid => Assert.False(ProcessTable.IsAlive(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)), $"process {pid} survived the cancellation"));
    }

    [Fact]
    public async Task RunAsync_WithoutPidFd_ReportsTheExitCodeAndEveryLine()
    {
        var runner = new ProcessCommandRunner(new ProcessCommandRunnerOptions { WatchExitWithPidFd = false });
        var launch = new CommandLaunch("/bin/sh", ["-c", "seq 1 3000; echo oops >&2; exit 3"], Path.GetTempPath(), new Dictionary<string, string>());
        var lines = new List<string>();

        CommandExit exit = await runner.RunAsync(launch, (_, line) => lines.Add(line), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, exit.ExitCode);
        Assert.Equal(["oops"], exit.ErrorTail);
        Assert.Equal(3001, lines.Count);
        Assert.Equal("3000", lines[2999]);
    }

    // Runs two commands one after the other from a pool thread, with no context to return to, as a lane does.
    private static async Task<(bool StartedOnPool, Thread Waiter, bool Adopted, Thread After, int[] Codes)> TwoInARowAsync(ProcessCommandRunner runner)
    {
        bool onPool = Thread.CurrentThread.IsThreadPoolThread;
        // Not time under test: room for the caller to await before the program ends (were it to lose, the wait would be
        // over before the await and the caller would go on on its own thread).
        var launch = new CommandLaunch("/bin/sleep", ["0.3"], Path.GetTempPath(), new Dictionary<string, string>());
        CommandExit first = await runner.RunAsync(launch, (_, _) => { }, CancellationToken.None).ConfigureAwait(false);
        Thread waiter = Thread.CurrentThread;
        bool adopted = LaneThreads.IsCurrent;
        CommandExit second = await runner.RunAsync(launch, (_, _) => { }, CancellationToken.None).ConfigureAwait(false);
        return (onPool, waiter, adopted, Thread.CurrentThread, [first.ExitCode, second.ExitCode]);
    }

    // On a command thread (reached as in TwoInARowAsync), defers a wake that makes the flag file, then runs a program
    // that waits up to 10 s for that file: as a step's records are written before its program starts.
    private static async Task<int> WakeThenWaitForItAsync(ProcessCommandRunner runner, string flag)
    {
        var pause = new CommandLaunch("/bin/sleep", ["0.3"], Path.GetTempPath(), new Dictionary<string, string>());
        await runner.RunAsync(pause, (_, _) => { }, CancellationToken.None).ConfigureAwait(false);
        Assert.True(LaneThreads.DeferWake(() => File.WriteAllText(flag, "")));
        var waitForFlag = new CommandLaunch("/bin/sh", ["-c", "i=0; while [ ! -e \"$1\" ]; do i=$((i+1)); [ $i -gt 1000 ] && exit 9; sleep 0.01; done", "sh", flag], Path.GetTempPath(), new Dictionary<string, string>());
        CommandExit exit = await runner.RunAsync(waitForFlag, (_, _) => { }, CancellationToken.None).ConfigureAwait(false);
        return exit.ExitCode;
    }

    private Task<List<string>> LinesAsync(CommandLaunch launch) => LinesAsync(_runner, launch);

    private static async Task<List<string>> LinesAsync(ProcessCommandRunner runner, CommandLaunch launch)
    {
        var lines = new List<string>();
        CommandExit exit = await runner.RunAsync(launch, (stream, line) =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }, CancellationToken.None);
        Assert.Equal(0, exit.ExitCode);
        return lines;
    }

    private async Task<(CommandExit Exit, List<string> Lines)> RunAsync(string program, params string[] arguments)
    {
        var lines = new List<string>();
        var launch = new CommandLaunch(program, arguments, Path.GetTempPath(), new Dictionary<string, string>());
        CommandExit exit = await _runner.RunAsync(launch, (stream, line) =>
        {
            if (stream == CommandStream.Output)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        }, CancellationToken.None);
        return (exit, lines);
    }
}
