using Microsoft.Data.Sqlite;
using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests.Writing;

/// <summary>Calls issued together, so the writer merges them in one transaction, give the same results and rows as the same calls awaited one by one.</summary>
public sealed class WriteCoalescerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero).AddTicks(1_234_560);
    private readonly TempDirectory _directory = new();
    private SqliteRunStore? _batched;
    private SqliteRunStore? _oneByOne;

    private SqliteRunStore Batched => _batched!;

    private SqliteRunStore OneByOne => _oneByOne!;

    public async Task InitializeAsync()
    {
        _batched = await SqliteRunStore.OpenAsync(_directory.File("batched.db"));
        _oneByOne = await SqliteRunStore.OpenAsync(_directory.File("one-by-one.db"));
    }

    public async Task DisposeAsync()
    {
        await Batched.DisposeAsync();
        await OneByOne.DisposeAsync();
        _directory.Dispose();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StepLifecycles_InOneBatch_AreRecordedAsIfOneByOne()
    {
        var calls = new List<Func<IRunStore, Task>>();
        foreach (string step in new[] { "ingest", "clean", "model" })
        {
            calls.AddRange(SucceedingStep(step, 10));
        }

        // A retried step: two attempts, a retrying event, and a reason on the final transition.
        calls.Add(s => s.TryTransitionStepAsync(Run, "report", StepStatus.Pending, StepStatus.Running, At(20), null));
        calls.Add(s => s.TryStartAttemptAsync(Run, "report", 1, At(20)));
        calls.Add(s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "report", 1, At(20), At(21), AttemptOutcome.Failed, "System.IO.IOException", "disk busy", "transient: IOException")));
        calls.Add(s => s.AppendEventAsync(new RunEvent(Run, At(21), RunEventKind.StepRetrying, "report", 1, null, "System.IO.IOException", "disk busy", "attempt 1 of 2 failed; next in 1 s")));
        calls.Add(s => s.TryStartAttemptAsync(Run, "report", 2, At(22)));
        calls.Add(s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "report", 2, At(22), At(23), AttemptOutcome.Failed, "System.IO.IOException", "disk busy", "transient: IOException")));
        calls.Add(s => s.TryTransitionStepAsync(Run, "report", StepStatus.Running, StepStatus.Failed, At(23), "failed after 2 of 2 attempts"));
        calls.Add(s => s.AppendEventsAsync([new RunEvent(Run, At(24), RunEventKind.RunFailed), new RunEvent(Run, At(24), RunEventKind.RunFailed, Reason: "twice")]));

        await AssertSameAsOneByOneAsync(calls);
    }

    [Fact]
    public async Task ManyEvents_InOneBatch_KeepCallOrderAcrossMultiRowStatements()
    {
        // More than one multi-row statement's worth, with a many-event call in the middle.
        var calls = new List<Func<IRunStore, Task>>();
        for (int i = 0; i < 100; i++)
        {
            int n = i;
            calls.Add(s => s.AppendEventAsync(new RunEvent(Run, At(n), RunEventKind.StepRetrying, "ingest", n, TimeSpan.FromTicks(n), Reason: $"event {n}")));
            if (n == 40)
            {
                calls.Add(s => s.AppendEventsAsync([.. Enumerable.Range(1000, 70).Select(k => new RunEvent(Run, At(k), RunEventKind.StepSkipped, $"s{k}"))]));
            }
        }

        await AssertSameAsOneByOneAsync(calls);
        Assert.Equal(1 + 100 + 70, (await Batched.GetEventsAsync(Run)).Count);
    }

    [Fact]
    public async Task LostCompareAndSet_InOneBatch_IsRefusedAndTheRestFaceTheRealState()
    {
        Func<IRunStore, Task>[] calls =
        [
            // The same transition twice: the second finds the step running and loses.
            s => s.TryTransitionStepAsync(Run, "ingest", StepStatus.Pending, StepStatus.Running, At(1), null),
            s => s.TryTransitionStepAsync(Run, "ingest", StepStatus.Pending, StepStatus.Running, At(2), "late"),
            s => s.TryTransitionStepAsync(Run, "ingest", StepStatus.Running, StepStatus.Succeeded, At(3), null),
            // A chain whose first link expects the wrong state: it loses, the second (running -> failed) still faces 'pending' and loses too.
            s => s.TryTransitionStepAsync(Run, "clean", StepStatus.Running, StepStatus.Pending, At(4), null),
            s => s.TryTransitionStepAsync(Run, "clean", StepStatus.Pending, StepStatus.Failed, At(5), "wins against the real state"),
            s => s.TryTransitionStepAsync(Run, "model", StepStatus.Succeeded, StepStatus.Failed, At(6), null),
            // A duplicate start, then the completion: the first start's row is the one completed, once.
            s => s.TryStartAttemptAsync(Run, "ingest", 1, At(1)),
            s => s.TryStartAttemptAsync(Run, "ingest", 1, At(2)),
            s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "ingest", 1, At(1), At(3), AttemptOutcome.Succeeded, null, null, null)),
            s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "ingest", 1, At(1), At(4), AttemptOutcome.Failed, "X", "late", null)),
            // A completion of an attempt never started.
            s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "model", 3, At(1), At(4), AttemptOutcome.Succeeded, null, null, null)),
        ];

        IReadOnlyList<Task> results = await AssertSameAsOneByOneAsync(calls);

        Assert.Equal([true, false, true, false, true, false, true, false, true, false, false], results.Select(Result));
    }

    [Fact]
    public async Task BadInput_InOneBatch_FailsOnlyThatCall()
    {
        RunId unknownRun = RunId.New(T0.AddDays(1), 9);
        Func<IRunStore, Task>[] calls =
        [
            .. SucceedingStep("ingest", 1),
            s => s.TryStartAttemptAsync(Run, "no-such-step", 1, At(2)),
            s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, "no-such-step", 1, At(2), At(3), AttemptOutcome.Succeeded, null, null, null)),
            .. Enumerable.Range(0, 40).Select(i => (Func<IRunStore, Task>)(s => s.AppendEventAsync(new RunEvent(i == 17 ? unknownRun : Run, At(i), RunEventKind.StepRetrying, "clean", i)))),
            s => s.AppendEventsAsync([new RunEvent(Run, At(50), RunEventKind.StepSkipped, "model"), new RunEvent(unknownRun, At(50), RunEventKind.StepSkipped, "model")]),
            .. SucceedingStep("clean", 60),
        ];

        IReadOnlyList<Task> batched = await AssertSameAsOneByOneAsync(calls);

        int[] failed = [.. batched.Select((t, i) => (t, i)).Where(x => x.t.IsFaulted).Select(x => x.i)];
        Assert.Equal([6, 8 + 17, 8 + 40], failed);
        Assert.All(failed, i => Assert.Equal(19, Assert.IsType<SqliteException>(batched[i].Exception!.InnerException).SqliteErrorCode));
    }

    [Fact]
    public async Task AnotherWriter_ChangingTheStepFirst_WinsAgainstAFoldedChain()
    {
        RunId run = await NewRunAsync(Batched, 1);
        await using SqliteRunStore other = await SqliteRunStore.OpenAsync(_directory.File("batched.db"));
        Assert.True(await other.TryTransitionStepAsync(run, "ingest", StepStatus.Pending, StepStatus.Cancelled, At(0), "stopped elsewhere"));

        IReadOnlyList<Task> calls = await IssueInOneBatchAsync(run, [.. SucceedingStep("ingest", 1)]);

        Assert.Equal([false, true, true, true, false, true], calls.Select(Result));
        StepRecord ingest = (await Batched.GetStepsAsync(run))[0];
        Assert.Equal((StepStatus.Cancelled, "stopped elsewhere", (DateTimeOffset?)null), (ingest.Status, ingest.Reason, ingest.StartedAt));
    }

    private static RunId Run { get; } = RunId.New(T0, 1);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    private static IEnumerable<Func<IRunStore, Task>> SucceedingStep(string step, int at) =>
    [
        s => s.TryTransitionStepAsync(Run, step, StepStatus.Pending, StepStatus.Running, At(at), null),
        s => s.TryStartAttemptAsync(Run, step, 1, At(at)),
        s => s.AppendEventAsync(new RunEvent(Run, At(at), RunEventKind.StepStarted, step, 1)),
        s => s.TryCompleteAttemptAsync(new StepAttemptRecord(Run, step, 1, At(at), At(at + 1), AttemptOutcome.Succeeded, null, null, null)),
        s => s.TryTransitionStepAsync(Run, step, StepStatus.Running, StepStatus.Succeeded, At(at + 1), null),
        s => s.AppendEventAsync(new RunEvent(Run, At(at + 1), RunEventKind.StepSucceeded, step, 1, TimeSpan.FromSeconds(1))),
    ];

    private static bool Result(Task call) => call is Task<bool> cas ? cas.Result : call.IsCompletedSuccessfully;

    private static async Task<RunId> NewRunAsync(SqliteRunStore store, int n)
    {
        var run = new RunRecord(n == 1 ? Run : RunId.New(T0, n), "stock-forecaster", RunStatus.Running, T0, null, "run", "build-07", 7, null);
        StepRecord[] steps = [.. new[] { "ingest", "clean", "model", "report" }.Select((s, i) => new StepRecord(run.Id, s, i, StepStatus.Pending, "run", "new", 0, null, null))];
        await store.CreateRunAsync(run, steps);
        return run.Id;
    }

    /// <summary>Issues every call while the writer is held, so they all commit in one transaction; returns their tasks, completed.</summary>
    private async Task<IReadOnlyList<Task>> IssueInOneBatchAsync(RunId run, IReadOnlyList<Func<IRunStore, Task>> calls)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        int batches = 0;
        Batched.Writer.BatchTaken = () =>
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                holding.SetResult();
                release.Wait();
            }
        };
        var tasks = new List<Task>();
        Task first = Batched.AppendEventAsync(new RunEvent(run, T0, RunEventKind.RunStarted));
        try
        {
            // The writer holds the first batch uncommitted: everything issued now queues behind it, into the second.
            Assert.True(holding.Task.Wait(TimeSpan.FromSeconds(30)), "the writer never took the first batch");
            tasks.AddRange(calls.Select(call => call(Batched)));
        }
        finally
        {
            release.Set();
        }

        await first;
        await Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default);
        Batched.Writer.BatchTaken = null;

        // The held batch and one more: every call went into the second. (A many-event call commits in a transaction of
        // its own within it: GroupCommitWriterTests.)
        Assert.Equal(2, Volatile.Read(ref batches));
        return tasks;
    }

    /// <summary>Runs the calls both ways on a fresh run and asserts equal results, steps, attempts and events; returns the batched calls' tasks.</summary>
    private async Task<IReadOnlyList<Task>> AssertSameAsOneByOneAsync(IReadOnlyList<Func<IRunStore, Task>> calls)
    {
        await NewRunAsync(Batched, 1);
        await NewRunAsync(OneByOne, 1);
        await OneByOne.AppendEventAsync(new RunEvent(Run, T0, RunEventKind.RunStarted));
        var oneByOne = new List<Task>();
        foreach (Func<IRunStore, Task> call in calls)
        {
            Task task = call(OneByOne);
            await task.ContinueWith(_ => { }, TaskScheduler.Default);
            oneByOne.Add(task);
        }

        IReadOnlyList<Task> batched = await IssueInOneBatchAsync(Run, calls);

        Assert.Equal(oneByOne.Select(t => t.IsFaulted), batched.Select(t => t.IsFaulted));
        Assert.Equal(oneByOne.Select(t => !t.IsFaulted && Result(t)), batched.Select(t => !t.IsFaulted && Result(t)));
        Assert.Equal(await OneByOne.GetStepsAsync(Run), await Batched.GetStepsAsync(Run));
        Assert.Equal(await OneByOne.GetAttemptsAsync(Run), await Batched.GetAttemptsAsync(Run));
        Assert.Equal(await OneByOne.GetEventsAsync(Run), await Batched.GetEventsAsync(Run));
        return batched;
    }
}
