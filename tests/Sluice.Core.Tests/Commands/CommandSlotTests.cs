using System.Collections.Concurrent;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Commands;

/// <summary>
/// <c>--max-parallel</c> counts programs: a command step gives its place back when its program exits, so the next
/// program starts while the outputs are stored and published; no more steps finish that way than may run.
/// </summary>
public class CommandSlotTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Run_OneAtATime_NextProgramStartsWhileTheFirstStepsOutputsArePublished()
    {
        var runner = new ScriptedRunner();
        var workspace = new ScriptedWorkspace();
        TaskCompletionSource aPublished = workspace.Gate("a", 1);
        var harness = new RunHarness();
        Task<RunResult> run = Start(harness, runner, workspace, "a", "b");

        await runner.Started("b");
        Assert.False(run.IsCompleted);
        Assert.Equal(StepStatus.Running, (await harness.StepAsync("a")).Status);

        aPublished.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b"], runner.Programs);
        Assert.Equal(1, runner.MostAtOnce);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_OneAtATime_NoMoreStepsFinishThanMayRun()
    {
        var runner = new ScriptedRunner();
        var workspace = new ScriptedWorkspace();
        TaskCompletionSource aPublished = workspace.Gate("a", 1);
        TaskCompletionSource bPublished = workspace.Gate("b", 1);
        var harness = new RunHarness();
        Task<RunResult> run = Start(harness, runner, workspace, "a", "b", "c");

        // a finishes outside the limit, so b runs; b must keep its place while it finishes, so c waits.
        await runner.Started("b");
        await workspace.Begun("b");
        await Task.Delay(Quiet);
        Assert.Equal(["a", "b"], runner.Programs);

        // b ends, holding its place to the end: that place goes to c, while a is still finishing.
        bPublished.SetResult();
        await runner.Started("c");
        Assert.False(run.IsCompleted);

        aPublished.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b", "c"], runner.Programs);
        Assert.Equal(1, runner.MostAtOnce);
    }

    [Fact]
    public async Task Run_AttemptFailsAfterItsProgramExited_TheRetryWaitsForAPlaceBeforeItsBackoff()
    {
        var runner = new ScriptedRunner();
        TaskCompletionSource bExits = runner.Gate("b");
        var harness = new RunHarness();
        Task<RunResult> run = StartRetryAfterRelease(harness, runner);

        // a's program exited and gave its place to b; a's attempt then failed, and its retry needs a place back.
        await runner.Started("b");
        await Task.Delay(Quiet);
        Assert.Equal(["a", "b"], runner.Programs);
        Assert.Empty(harness.Clock.Armed);

        bExits.SetResult();
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(1));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b", "a"], runner.Programs);
        Assert.Equal(1, runner.MostAtOnce);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], (await harness.AttemptsAsync("a")).Select(a => a.Outcome));
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_CancelledWhileARetryWaitsForAPlace_TheRetryEndsAtOnce_EvenIfTheHolderIgnoresCancellation()
    {
        var runner = new ScriptedRunner();
        TaskCompletionSource bExits = runner.Gate("b", ignoresCancellation: true);
        var harness = new RunHarness();
        using var cancel = new CancellationTokenSource();
        Task<RunResult> run = StartRetryAfterRelease(harness, runner, cancel.Token);
        await runner.Started("b");
        await Eventually(async () => (await harness.AttemptsAsync("a")) is [{ Outcome: AttemptOutcome.Failed }]);

        // b keeps its place (its program ignores the signal); a, waiting for one, must not wait for b.
        cancel.Cancel();
        await Eventually(async () => (await harness.StepAsync("a")).Status == StepStatus.Cancelled);
        Assert.False(run.IsCompleted);

        bExits.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal(["a", "b"], runner.Programs);
        Assert.Empty(harness.Clock.Armed);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        DateTime until = DateTime.UtcNow + Watchdog.Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not become true in time");
            await Task.Delay(5);
        }
    }

    /// <summary>Starts a (retried once, after 1 s) and b, one at a time; a's first attempt fails after its program exited.</summary>
    private static Task<RunResult> StartRetryAfterRelease(RunHarness harness, ScriptedRunner runner, CancellationToken cancellationToken = default)
    {
        var workspace = new ScriptedWorkspace();
        workspace.Fail("a", 1, new IOException("staging folder unreadable"));
        harness.Options.MaxParallel = 1;
        harness.Options.Services = new FakeCommandServices(runner, workspace);
        Pipeline pipeline = Pipeline.Define("slots", p =>
        {
            p.Step("a")
                .WithRetry(r => { r.MaxAttempts = 2; r.Backoff = Backoff.Constant; r.Delay = TimeSpan.FromSeconds(1); r.UseJitter = false; })
                .RetryOn<IOException>()
                .Runs(c => c.Run("a").Outputs("data/a.txt"));
            p.Command("b", c => c.Run("b").Outputs("data/b.txt"));
        });
        return harness.StartAsync(pipeline, cancellationToken: cancellationToken);
    }

    private static Task<RunResult> Start(RunHarness harness, ScriptedRunner runner, ScriptedWorkspace workspace, params string[] steps)
    {
        harness.Options.MaxParallel = 1;
        harness.Options.Services = new FakeCommandServices(runner, workspace);
        Pipeline pipeline = Pipeline.Define("slots", p =>
        {
            foreach (string step in steps)
            {
                p.Command(step, c => c.Run(step).Outputs($"data/{step}.txt"));
            }
        });
        return harness.StartAsync(pipeline);
    }

    /// <summary>Programs that exit with 0, at once or when the test opens their gate; counts how many run at once.</summary>
    private sealed class ScriptedRunner : ICommandRunner
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
        private readonly ConcurrentDictionary<string, bool> _deaf = new();
        private readonly List<string> _programs = [];
        private int _running;
        private int _most;

        public IReadOnlyList<string> Programs
        {
            get
            {
                lock (_programs)
                {
                    return [.. _programs];
                }
            }
        }

        public int MostAtOnce => Volatile.Read(ref _most);

        public TaskCompletionSource Gate(string program, bool ignoresCancellation = false)
        {
            _deaf[program] = ignoresCancellation;
            return _gates.GetOrAdd(program, _ => NewSignal());
        }

        public Task Started(string program) => _started.GetOrAdd(program, _ => NewSignal()).Task.WaitAsync(Watchdog.Limit);

        public async Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _most, now);
            lock (_programs)
            {
                _programs.Add(launch.Program);
            }

            _started.GetOrAdd(launch.Program, _ => NewSignal()).TrySetResult();
            try
            {
                if (_gates.TryGetValue(launch.Program, out TaskCompletionSource? gate))
                {
                    await (_deaf.GetValueOrDefault(launch.Program) ? gate.Task : gate.Task.WaitAsync(cancellationToken));
                }

                return new CommandExit(0, []);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private static TaskCompletionSource NewSignal() => ScriptedWorkspace.NewSignal();
}
