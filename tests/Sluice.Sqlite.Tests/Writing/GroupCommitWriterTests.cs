using Sluice.Sqlite.Writing;
using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests.Writing;

public sealed class GroupCommitWriterTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private SqliteRunStore? _store;

    private SqliteRunStore Store => _store!;

    public async Task InitializeAsync() => _store = await SqliteRunStore.OpenAsync(_directory.File("runs.db"));

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WritesQueuedDuringACommit_CommitTogetherInTheNextTransaction()
    {
        var run = NewRun(1);
        using var release = new ManualResetEventSlim();
        Task writerHolding = HoldFirstBatch(release);
        long before = Store.Writer.TransactionsCommitted;

        Task create = Store.CreateRunAsync(run, [new StepRecord(run.Id, "ingest", 0, StepStatus.Pending, "run", "new", 0, null, null)]);
        Task flush;
        Task[] events;
        try
        {
            await writerHolding;

            // The writer holds the first batch, uncommitted: a flush now must wait for it, not only for the empty queue.
            flush = Store.FlushAsync();
            events = [.. Enumerable.Range(1, 500).Select(i => Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", i)))];
            Assert.False(create.IsCompleted);
            Assert.False(flush.IsCompleted);
            Assert.DoesNotContain(events, e => e.IsCompleted);
        }
        finally
        {
            // Even when an assertion fails, or the store could not be disposed.
            release.Set();
        }

        await Task.WhenAll([create, flush, .. events]);

        Assert.Equal(before + 2, Store.Writer.TransactionsCommitted);
        Assert.Equal(Enumerable.Range(1, 500), (await Store.GetEventsAsync(run.Id)).Select(e => e.Attempt!.Value));
    }

    [Fact]
    public async Task MultiStatementCommand_InABatch_CommitsInATransactionOfItsOwn_InCallOrder()
    {
        RunRecord run = await CreateRunAsync(Store, 3);
        RunEvent Event(int attempt) => new(run.Id, T0, RunEventKind.StepRetrying, "ingest", attempt);
        using var release = new ManualResetEventSlim();
        Task writerHolding = HoldFirstBatch(release);

        Task first = Store.AppendEventAsync(Event(0));
        await writerHolding;
        long before = Store.Writer.TransactionsCommitted;
        Task[] queued;
        try
        {
            // One batch: a single write, a multi-statement one (its savepoint), another single write and a flush.
            queued = [Store.AppendEventAsync(Event(1)), Store.AppendEventsAsync([Event(2), Event(3)]), Store.AppendEventAsync(Event(4)), Store.FlushAsync()];
        }
        finally
        {
            release.Set();
        }

        await Task.WhenAll([first, .. queued]);

        // The held batch, then three: what came before the multi-statement command, the command alone, what came after.
        Assert.Equal(before + 4, Store.Writer.TransactionsCommitted);
        Assert.Equal([0, 1, 2, 3, 4], (await Store.GetEventsAsync(run.Id)).Select(e => e.Attempt!.Value));
    }

    [Fact]
    public async Task FullQueue_CallerWaitsUntilTheWriterTakesIt_AndEveryWriteCommits()
    {
        RunRecord run = await CreateRunAsync(Store, 2);
        using var release = new ManualResetEventSlim();
        Task writerHolding = HoldFirstBatch(release);

        Task first = Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", 0));
        await writerHolding;
        var queued = new List<Task>();
        Task<Task> overflow;
        try
        {
            for (int i = 1; i <= GroupCommitWriter.MaxQueued; i++)
            {
                queued.Add(Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", i)));
            }

            // The queue is full and the writer busy: one more write waits for room instead of growing the queue.
            // The outer task ends when the call returns, the inner one when its write commits.
            overflow = Task.Factory.StartNew(() => Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", GroupCommitWriter.MaxQueued + 1)), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await Task.Delay(200);
            Assert.False(overflow.IsCompleted);
        }
        finally
        {
            release.Set();
        }

        await await overflow;
        await Task.WhenAll([first, .. queued]);
        Assert.Equal(Enumerable.Range(0, GroupCommitWriter.MaxQueued + 2), (await Store.GetEventsAsync(run.Id)).Select(e => e.Attempt!.Value));
    }

    [Fact]
    public async Task WriteFromAnAdoptedThread_CommitsOnceThatThreadNextWaits()
    {
        RunRecord run = await CreateRunAsync(Store, 4);
        await WriterWaitingAsync();
        long before = Store.Writer.TransactionsCommitted;
        Task? append = null;
        bool committedBeforeTheWait = true;

        // As a command thread writes a step's records and then starts its program: the writer is woken at its wait.
        Assert.True(OnACommandThread(() =>
        {
            append = Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", 1));
            // Not time under test: room for a writer that had been woken to commit.
            Thread.Sleep(300);
            committedBeforeTheWait = append.IsCompleted;
            Sluice.Execution.LaneThreads.WakeDeferred();
        }));
        await append!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(committedBeforeTheWait);
        Assert.Equal(before + 1, Store.Writer.TransactionsCommitted);
    }

    [Fact]
    public async Task FullQueueFromAnAdoptedThread_WakesTheWriterInsteadOfWaitingForItForever()
    {
        RunRecord run = await CreateRunAsync(Store, 5);
        await WriterWaitingAsync();
        var appends = new List<Task>();

        // The writer's wake is deferred from the first write; the write past a full queue must not wait for it.
        bool ended = OnACommandThread(() =>
        {
            for (int i = 0; i <= GroupCommitWriter.MaxQueued; i++)
            {
                appends.Add(Store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", i)));
            }

            Sluice.Execution.LaneThreads.WakeDeferred();
        });

        Assert.True(ended, "the thread that filled the queue waited for a writer nobody woke");
        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(GroupCommitWriter.MaxQueued + 1, (await Store.GetEventsAsync(run.Id)).Count);
    }

    [Fact]
    public async Task WritesFromACommandThread_WaitForTheDelay_AndCommitInOneTransaction()
    {
        // The longest delay allowed, far beyond the 250 ms the writes take, so nothing below depends on how fast this machine is.
        await using SqliteRunStore store = await OpenWithDelayAsync(TimeSpan.FromSeconds(10));
        RunRecord run = await CreateRunAsync(store, 6);
        long before = store.Writer.TransactionsCommitted;
        var appends = new List<Task>();

        // Five steps' records, 50 ms apart, each followed by its program's start: committed at once, each would be a transaction.
        Assert.True(OnACommandThread(() =>
        {
            for (int i = 1; i <= 5; i++)
            {
                appends.Add(store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", i)));
                Sluice.Execution.LaneThreads.WakeDeferred();
                Thread.Sleep(50);
            }
        }));

        Assert.DoesNotContain(appends, a => a.IsCompleted);
        await store.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.Equal(before + 1, store.Writer.TransactionsCommitted);
        Assert.Equal(5, (await store.GetEventsAsync(run.Id)).Count);
    }

    [Fact]
    public async Task AWriteFromACommandThread_IsCommittedOnceTheDelayIsOver_WithoutAFlush()
    {
        await using SqliteRunStore store = await OpenWithDelayAsync(TimeSpan.FromMilliseconds(200));
        RunRecord run = await CreateRunAsync(store, 8);
        Task append = AppendFromACommandThread(store, run.Id, 1);

        // Nobody flushes: the writer's own timed wait must end and commit it.
        await append.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await store.GetEventsAsync(run.Id));
    }

    [Fact]
    public async Task DelayedWrites_AreCommittedAtOnce_WithAWriteFromAnotherThread_OrAFlush()
    {
        await using SqliteRunStore store = await OpenWithDelayAsync(TimeSpan.FromSeconds(10));
        RunRecord run = await CreateRunAsync(store, 7);

        Task first = AppendFromACommandThread(store, run.Id, 1);
        // Not time under test: room for a writer that would commit it (the delay is 10 s).
        await Task.Delay(300);
        Assert.False(first.IsCompleted);

        // A write nobody said it would not wait for is committed at once, and the delayed one with it.
        await store.AppendEventAsync(new RunEvent(run.Id, T0, RunEventKind.StepRetrying, "ingest", 2)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(first.IsCompletedSuccessfully);

        Task third = AppendFromACommandThread(store, run.Id, 3);
        await Task.Delay(300);
        Assert.False(third.IsCompleted);
        await store.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(third.IsCompletedSuccessfully);
        Assert.Equal([1, 2, 3], (await store.GetEventsAsync(run.Id)).Select(e => e.Attempt!.Value));
    }

    // Runs body on a new thread that is, like a command thread, adopted and deferring its wakes; false if it did not end within a minute.
    private static bool OnACommandThread(Action body)
    {
        var thread = new Thread(() =>
        {
            Sluice.Execution.LaneThreads.Adopt();
            Sluice.Execution.LaneThreads.DeferWakes();
            body();
        }) { IsBackground = true };
        thread.Start();
        return thread.Join(TimeSpan.FromSeconds(60));
    }

    // One event appended from a command thread, which then waits (as for its program's start); returns the append's task.
    private static Task AppendFromACommandThread(SqliteRunStore store, RunId run, int attempt)
    {
        Task? append = null;
        Assert.True(OnACommandThread(() =>
        {
            append = store.AppendEventAsync(new RunEvent(run, T0, RunEventKind.StepRetrying, "ingest", attempt));
            Sluice.Execution.LaneThreads.WakeDeferred();
        }));
        return append!;
    }

    // A running run of the same pipeline in every test, told apart by its sequence number.
    private static RunRecord NewRun(int sequence) =>
        new(RunId.New(T0, sequence), "stock-forecaster", RunStatus.Running, T0, null, "run", "build-07", 7, null);

    private static async Task<RunRecord> CreateRunAsync(SqliteRunStore store, int sequence)
    {
        RunRecord run = NewRun(sequence);
        await store.CreateRunAsync(run, []);
        return run;
    }

    private Task<SqliteRunStore> OpenWithDelayAsync(TimeSpan delay) =>
        SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = _directory.File("delayed.db"), CommitDelay = delay });

    private async Task WriterWaitingAsync()
    {
        await Store.FlushAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Store.Writer.IsWaiting)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the writer never went back to waiting");
            await Task.Delay(5);
        }
    }

    // Stops the writer inside its first batch until release is set; the task completes once the writer is holding.
    private Task HoldFirstBatch(ManualResetEventSlim release)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int batches = 0;
        Store.Writer.BatchTaken = () =>
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                holding.SetResult();
                release.Wait();
            }
        };
        return holding.Task;
    }
}
