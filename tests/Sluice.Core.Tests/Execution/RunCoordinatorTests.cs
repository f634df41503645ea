using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Execution;

public class RunCoordinatorTests
{
    [Fact]
    public async Task Run_Diamond_OutputsFlowAlongArtifactEdges()
    {
        int seen = 0;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<Settings> settings = p.Parameters<Settings>("Forecast");
            Artifact<int> source = p.Step("source").Executes(settings, (_, s) => s.Base);
            Artifact<int> left = p.Step("left").Executes(source, (_, v) => v * 10);
            Artifact<int> right = p.Step("right").Executes(source, settings, (_, v, s) => v + s.Base + 1);
            Artifact<int> join = p.Step("join").Executes(left, right, (_, l, r) => l + r);
            p.Step("sink").Executes(join, (_, v) => { seen = v; });
        });
        var harness = new RunHarness();

        RunResult result = await harness.RunAsync(pipeline, parameters: new Dictionary<string, object> { ["Forecast"] = new Settings { Base = 2 } });

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal((2 * 10) + (2 + 2 + 1), seen);
        Assert.Equal("5 steps succeeded", result.Reason);
        Assert.All(result.Steps.Values, s => Assert.Equal(StepStatus.Succeeded, s));
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_Chain_EventsInOrderFromRunStartedToRunSucceeded()
    {
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            Artifact<int> b = p.Step("b").Executes(a, (_, v) => v + 1);
            p.Step("c").Executes(b, (_, v) => v + 1);
        });
        var harness = new RunHarness();

        RunResult result = await harness.RunAsync(pipeline, new StepSelection { Until = ["b"] });

        Assert.Equal(
            [
                "run.started",
                "step.skipped c",
                "step.started a",
                "step.succeeded a",
                "step.started b",
                "step.succeeded b",
                "run.succeeded",
            ],
            harness.Observer.Lines);
        IReadOnlyList<RunEvent> events = harness.Observer.Events;
        Assert.Equal("2 of 3 steps to run", events[0].Reason);
        Assert.Equal("not selected (not upstream of --until)", events[1].Reason);
        Assert.Equal(1, events[2].Attempt);
        Assert.All(events, e => Assert.Equal(harness.RunId, e.RunId));
        Assert.Equal(StepStatus.Skipped, result.Steps["c"]);
        await harness.AssertStoreMatchesAsync(result);
        Assert.Equal(("skip", "not selected (not upstream of --until)"), ((await harness.StepAsync("c")).Decision, (await harness.StepAsync("c")).Reason));
    }

    [Fact]
    public async Task Run_OnlyAStepWithOrderOnlyEdges_StartsItWithoutWaitingForUnselectedSteps()
    {
        var ran = new List<string>();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            p.Step("a").Executes(ctx => ran.Add(ctx.Step));
            p.Step("b").After("a").Executes(ctx => ran.Add(ctx.Step));
            p.Step("c").After("b").Executes(ctx => ran.Add(ctx.Step));
        });
        var harness = new RunHarness();

        RunResult result = await harness.RunAsync(pipeline, new StepSelection { Only = ["c"] });

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["c"], ran);
        Assert.Equal([StepStatus.Skipped, StepStatus.Skipped, StepStatus.Succeeded], new[] { "a", "b", "c" }.Select(s => result.Steps[s]));
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_FanOut_NeverExceedsMaxParallelAndReachesIt()
    {
        const int steps = 6;
        int running = 0;
        int peak = 0;
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var release = new SemaphoreSlim(0);
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            for (int i = 0; i < steps; i++)
            {
                p.Step($"s{i}").Executes(async ctx =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref peak, now);
                    arrived.Writer.TryWrite(ctx.Step);
                    await release.WaitAsync(ctx.CancellationToken);
                    Interlocked.Decrement(ref running);
                });
            }
        });
        var harness = new RunHarness();
        harness.Options.MaxParallel = 2;

        Task<RunResult> run = harness.StartAsync(pipeline);
        var order = new List<string> { await Next(), await Next() };
        Assert.Equal(2, Volatile.Read(ref running));
        for (int i = 2; i < steps; i++)
        {
            release.Release();
            order.Add(await Next());
        }

        release.Release(2);
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(2, peak);
        Assert.Equal(Enumerable.Range(0, steps).Select(i => $"s{i}"), order.Order(StringComparer.Ordinal));
        AssertNeverMoreThanRunning(harness.Observer.Events, 2);
        await harness.AssertStoreMatchesAsync(result);

        async Task<string> Next() => await arrived.Reader.ReadAsync().AsTask().WaitAsync(Watchdog.Limit);
    }

    [Fact]
    public async Task Run_StepFails_FailsFast()
    {
        var siblingStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSibling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool? siblingTokenCancelled = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> bad = p.Step("bad").Executes(Boom);
            Artifact<int> sibling = p.Step("sibling").Executes(async ctx =>
            {
                siblingStarted.TrySetResult();
                await releaseSibling.Task;
                siblingTokenCancelled = ctx.CancellationToken.IsCancellationRequested;
                return 2;
            });
            p.Step("down").Executes(bad, (_, v) => v);
            p.Step("unrelated").Executes(_ => 3);
            p.Step("after-sibling").Executes(sibling, (_, v) => v);
        });
        var harness = new RunHarness();
        harness.Options.MaxParallel = 2;

        Task<RunResult> run = harness.StartAsync(pipeline);
        await siblingStarted.Task.WaitAsync(Watchdog.Limit);
        // The coordinator has taken in the failure once it marks the downstream step.
        await harness.Observer.WaitForAsync(RunEventKind.StepUpstreamFailed, "down");
        releaseSibling.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("step 'bad' failed", result.Reason);
        Assert.Equal(StepStatus.Failed, result.Steps["bad"]);
        Assert.Equal(StepStatus.Succeeded, result.Steps["sibling"]);
        Assert.False(siblingTokenCancelled);
        Assert.Equal(StepStatus.UpstreamFailed, result.Steps["down"]);
        Assert.Equal(StepStatus.Cancelled, result.Steps["unrelated"]);
        Assert.Equal(StepStatus.Cancelled, result.Steps["after-sibling"]);
        // Only the two steps dispatched before the failure ever start. (Their step.started events
        // come from their own threads, so 'sibling' may report starting after 'bad' reports failing.)
        IReadOnlyList<string> lines = harness.Observer.Lines;
        Assert.Equal(["step.started bad", "step.started sibling"], lines.Where(l => l.StartsWith("step.started", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("run.failed", lines[^1]);
        await harness.AssertStoreMatchesAsync(result);
        Assert.Equal("upstream step 'bad' failed", (await harness.StepAsync("down")).Reason);
        Assert.Equal(
            "run stopped after 'bad' failed (fail fast; use --keep-going to run other branches)",
            (await harness.StepAsync("unrelated")).Reason);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("bad"));
        Assert.Equal(
            (AttemptOutcome.Failed, "System.InvalidOperationException", "boom in bad"),
            (attempt.Outcome, attempt.ErrorType, attempt.ErrorMessage));
        Assert.Equal("no retries configured", (await harness.StepAsync("bad")).Reason);
    }

    [Fact]
    public async Task Run_KeepGoing_RunsBranchesIndependentOfTheFailures()
    {
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> bad = p.Step("bad").Executes(Boom);
            Artifact<int> sibling = p.Step("sibling").Executes(_ => 2);
            p.Step("down").Executes(bad, (_, v) => v);
            Artifact<int> worse = p.Step("worse").After(sibling).Executes(Boom);
            p.Step("down-of-both").After(bad, worse).Executes(_ => 4);
            p.Step("unrelated").Executes(_ => 3);
            p.Step("after-sibling").Executes(sibling, (_, v) => v);
        });
        var harness = new RunHarness();
        harness.Options.KeepGoing = true;

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("2 steps failed, first 'bad'", result.Reason);
        Assert.Equal(
            new Dictionary<string, StepStatus>
            {
                ["bad"] = StepStatus.Failed,
                ["sibling"] = StepStatus.Succeeded,
                ["down"] = StepStatus.UpstreamFailed,
                ["worse"] = StepStatus.Failed,
                ["down-of-both"] = StepStatus.UpstreamFailed,
                ["unrelated"] = StepStatus.Succeeded,
                ["after-sibling"] = StepStatus.Succeeded,
            },
            result.Steps);
        Assert.Single(harness.Observer.Lines, "step.upstream-failed down-of-both");
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_CancelledMidRun_CancelsTheRunningStepAndStartsNothingMore()
    {
        bool? tokenCancelled = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> slow = p.Step("slow").Executes(async ctx =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
                }
                finally
                {
                    tokenCancelled = ctx.CancellationToken.IsCancellationRequested;
                }

                return 1;
            });
            p.Step("next").Executes(slow, (_, v) => v);
            p.Step("other").Executes(_ => 2);
        });
        var harness = new RunHarness();
        using var cts = new CancellationTokenSource();

        Task<RunResult> run = harness.StartAsync(pipeline, cancellationToken: cts.Token);
        await harness.Observer.WaitForAsync(RunEventKind.StepStarted, "slow");
        await cts.CancelAsync();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal("cancelled on request", result.Reason);
        Assert.True(tokenCancelled);
        Assert.All(result.Steps.Values, s => Assert.Equal(StepStatus.Cancelled, s));
        Assert.Equal(
            ["run.started", "step.started slow", "step.cancelled slow", "step.cancelled next", "step.cancelled other", "run.cancelled"],
            harness.Observer.Lines);
        await harness.AssertStoreMatchesAsync(result);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("slow"));
        Assert.Equal((AttemptOutcome.Cancelled, "run cancelled"), (attempt.Outcome, attempt.Reason));
        Assert.Equal("run cancelled", (await harness.StepAsync("slow")).Reason);
        Assert.Equal("run cancelled before the step started", (await harness.StepAsync("other")).Reason);
    }

    [Fact]
    public async Task Run_CancelledBeforeItStarts_RunsNothing()
    {
        bool ran = false;
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("a").Executes(_ => { ran = true; }));
        var harness = new RunHarness();

        RunResult result = await RunHarness.Finish(harness.StartAsync(pipeline, cancellationToken: new CancellationToken(canceled: true)));

        Assert.False(ran);
        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.Steps["a"]);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_CancelledAfterTheLastStepFinished_StillSucceeds()
    {
        using var cancel = new CancellationTokenSource();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            p.Step("b").Executes(a, (_, x) =>
            {
                // The signal arrives as the last step returns: nothing was stopped or left unstarted.
                cancel.Cancel();
                return x;
            });
        });
        var harness = new RunHarness();

        RunResult result = await RunHarness.Finish(harness.StartAsync(pipeline, cancellationToken: cancel.Token));

        Assert.Equal(RunStatus.Succeeded, result.Status);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_ParametersNotBound_ThrowsBeforeCreatingTheRun()
    {
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<DiamondSettings> settings = p.Parameters<DiamondSettings>("Diamond");
            p.Step("a").Executes(settings, (_, s) => s.Start);
        });
        var harness = new RunHarness();

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => RunHarness.Finish(harness.StartAsync(pipeline)));

        Assert.Contains("Parameters not bound: Diamond", error.Message);
        Assert.Null(await harness.Store.GetRunAsync(harness.RunId));
    }

    /// <summary>A parameters class for the binding test.</summary>
    public sealed class DiamondSettings
    {
        public int Start { get; set; }
    }

    [Fact]
    public async Task Run_ObserverThrows_RunStillSucceedsAndOthersHearEverything()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("a").Executes(ctx => ctx.Logger.LogInformation("hello")));
        var harness = new RunHarness();
        harness.Observers.Insert(0, new ThrowingObserver());

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["run.started", "step.started a", "step.succeeded a", "run.succeeded"], harness.Observer.Lines);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Run_AnotherProcessChangesAStep_ThrowsRunStoreConflict()
    {
        var harness = new RunHarness();
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("a").Executes(async ctx =>
        {
            // Another process takes the step over while this attempt runs.
            Assert.True(await harness.Store.TryTransitionStepAsync(ctx.RunId, "a", StepStatus.Running, StepStatus.Interrupted, ctx.Time.GetUtcNow(), "taken"));
        }));

        var e = await Assert.ThrowsAsync<RunStoreConflictException>(() => RunHarness.Finish(harness.StartAsync(pipeline)));

        Assert.Contains("first: step 'a' running -> succeeded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConflictEarlyInALongRun_IsStillReportedFirst()
    {
        var harness = new RunHarness();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> previous = p.Step("s0").Executes(async ctx =>
            {
                Assert.True(await harness.Store.TryTransitionStepAsync(ctx.RunId, "s0", StepStatus.Running, StepStatus.Interrupted, ctx.Time.GetUtcNow(), "taken"));
                return 0;
            });
            for (int i = 1; i < 300; i++)
            {
                previous = p.Step($"s{i}").Executes(previous, (_, x) => x + 1);
            }
        });

        // The hundreds of writes that won after it are let go as they complete; the lost one is kept for the end.
        var e = await Assert.ThrowsAsync<RunStoreConflictException>(() => RunHarness.Finish(harness.StartAsync(pipeline)));

        Assert.Contains("(1 state change(s) lost, first: step 's0' running -> succeeded)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StepEndsOnAForeignThread_NextStepStillRunsOnThePool()
    {
        var harness = new RunHarness();
        bool? nextOnPool = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> first = p.Step("a").Executes(async ctx =>
            {
                // Completed inline on a thread of its own, as a process-exit or timer callback would.
                var done = new TaskCompletionSource<int>();
                using var started = new ManualResetEventSlim();
                new Thread(() =>
                {
                    started.Wait();
                    // Not time under test: room for the step to await first (were it to lose, the step would end inline and the test pass).
                    Thread.Sleep(50);
                    done.SetResult(1);
                }) { IsBackground = true }.Start();
                started.Set();
                return await done.Task;
            });
            p.Step("b").Executes(first, (_, x) =>
            {
                nextOnPool = Thread.CurrentThread.IsThreadPoolThread;
                return x;
            });
        });

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.True(nextOnPool);
    }

    [Fact]
    public async Task Run_ServicesOfferALaneStarter_LanesThatStartWithACommandStartOnIt()
    {
        var starter = new ThreadPerLane();
        var runner = new ThreadRecordingRunner();
        var harness = new RunHarness();
        harness.Options.MaxParallel = 2;
        harness.Options.Services = new StarterAndCommands(starter, new Commands.FakeCommandServices(runner, new Commands.ScriptedWorkspace()));
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            for (int i = 0; i < 6; i++)
            {
                p.Command($"c{i}", c => c.Run($"c{i}").Outputs($"data/c{i}.txt"));
            }
        });

        RunResult result = await harness.RunAsync(pipeline);

        // Every lane starts with a command here, the first included: each program starts on one of the starter's threads.
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.InRange(starter.Started, 2, 6); // two at once; a lane runs several steps in a row
        Assert.Equal(6, runner.Threads.Count);
        Assert.All(runner.Threads, t => Assert.Contains(t, starter.Threads));
    }

    [Fact]
    public async Task Run_ServicesOfferALaneStarter_LanesOfOtherStepsStayOnThePool()
    {
        var starter = new ThreadPerLane();
        var harness = new RunHarness();
        harness.Options.MaxParallel = 2;
        harness.Options.Services = new StarterAndCommands(starter, null);
        var onPool = new System.Collections.Concurrent.ConcurrentBag<bool>();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> root = p.Step("root").Executes(_ => { onPool.Add(Thread.CurrentThread.IsThreadPoolThread); return 1; });
            for (int i = 0; i < 6; i++)
            {
                p.Step($"m{i}").Executes(root, (_, x) => { onPool.Add(Thread.CurrentThread.IsThreadPoolThread); return x; });
            }
        });

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(0, starter.Started);
        Assert.Equal(7, onPool.Count);
        Assert.All(onPool, Assert.True);
    }

    [Fact]
    public async Task Run_StepEndsOnAnAdoptedThread_NextStepRunsRightThere()
    {
        var harness = new RunHarness();
        var ender = new AdoptedEnder();
        Thread? next = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> first = p.Step("a").Executes(_ => ender.EndAsync());
            p.Step("b").Executes(first, (_, x) =>
            {
                next = Thread.CurrentThread;
                return x;
            });
        });

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Same(ender.Thread, next);
    }

    [Fact]
    public async Task Run_StepEndsOnAnAdoptedThreadWithAWakeDeferred_WakesBeforeTheNextStepsCode()
    {
        var harness = new RunHarness();
        bool wokenBeforeNext = false;
        bool deferred = false;
        // As the run store's writer is left for the thread's next wait; the next step's code might block.
        var ender = new AdoptedEnder(() =>
        {
            LaneThreads.DeferWakes();
            deferred = LaneThreads.DeferWake(() => wokenBeforeNext = true);
        });
        Thread? next = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> first = p.Step("a").Executes(_ => ender.EndAsync());
            p.Step("b").Executes(first, (_, x) =>
            {
                next = Thread.CurrentThread;
                return wokenBeforeNext ? x : throw new InvalidOperationException("b ran with a wake still deferred");
            });
        });

        RunResult result = await harness.RunAsync(pipeline);

        Assert.True(deferred);
        Assert.Same(ender.Thread, next);
        Assert.Equal(RunStatus.Succeeded, result.Status);
    }

    [Fact]
    public void Constructor_MaxParallelBelowOne_IsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RunCoordinator(new InMemoryRunStore(), new TestClock(), [], new RunOptions { MaxParallel = 0 }));

        Assert.Contains("MaxParallel must be 1 or more.", e.Message, StringComparison.Ordinal);
    }

    private static int Boom(StepContext context) => throw new InvalidOperationException($"boom in {context.Step}");

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private static void AssertNeverMoreThanRunning(IReadOnlyList<RunEvent> events, int limit)
    {
        int running = 0;
        foreach (RunEvent e in events)
        {
            running += e.Kind switch
            {
                RunEventKind.StepStarted when e.Attempt == 1 => 1,
                RunEventKind.StepSucceeded or RunEventKind.StepFailed or RunEventKind.StepCancelled when e.Attempt > 0 => -1,
                _ => 0,
            };
            Assert.InRange(running, 0, limit);
        }
    }

    public sealed class Settings
    {
        public int Base { get; set; }
    }

    private sealed class ThrowingObserver : IRunObserver
    {
        public void OnEvent(RunEvent runEvent) => throw new InvalidOperationException("sink is down");

        public ILogger CreateStepLogger(RunId run, string step, int attempt) => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Ends a step inline on a thread of its own that exists to run steps, as a command's waiting thread does, after running <paramref name="beforeEnd"/> there.</summary>
    private sealed class AdoptedEnder(Action? beforeEnd = null)
    {
        public Thread? Thread { get; private set; }

        public async Task<int> EndAsync()
        {
            var done = new TaskCompletionSource<int>();
            using var started = new ManualResetEventSlim();
            Thread = new Thread(() =>
            {
                LaneThreads.Adopt();
                started.Wait();
                // Not time under test: room for the step to await first (were it to lose, the step would end inline and the lane stay where it was).
                Thread.Sleep(50);
                beforeEnd?.Invoke();
                done.SetResult(1);
            }) { IsBackground = true };
            Thread.Start();
            started.Set();
            return await done.Task;
        }
    }

    /// <summary>A lane starter that runs each lane on a new thread of its own, adopted as the command threads are.</summary>
    private sealed class ThreadPerLane : ILaneStarter
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public System.Collections.Concurrent.ConcurrentBag<Thread> Threads { get; } = [];

        public void Start(Action lane)
        {
            Interlocked.Increment(ref _started);
            var thread = new Thread(() =>
            {
                LaneThreads.Adopt();
                lane();
            }) { IsBackground = true };
            Threads.Add(thread);
            thread.Start();
        }
    }

    private sealed class StarterAndCommands(ILaneStarter starter, IServiceProvider? commands) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(ILaneStarter) ? starter : commands?.GetService(serviceType);
    }

    /// <summary>Programs that exit with 0 at once; records the thread each was started from.</summary>
    private sealed class ThreadRecordingRunner : ICommandRunner
    {
        public System.Collections.Concurrent.ConcurrentBag<Thread> Threads { get; } = [];

        public Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken)
        {
            Threads.Add(Thread.CurrentThread);
            return Task.FromResult(new CommandExit(0, []));
        }
    }
}
