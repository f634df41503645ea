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
        var run = new RunRecord(RunId.New(T0, 1), "stock-forecaster", RunStatus.Running, T0, null, "run", "build-07", 7, null);
        var writerHolding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        int batches = 0;
        Store.Writer.BatchTaken = () =>
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                writerHolding.SetResult();
                release.Wait();
            }
        };
        long before = Store.Writer.TransactionsCommitted;

        Task create = Store.CreateRunAsync(run, [new StepRecord(run.Id, "ingest", 0, StepStatus.Pending, "run", "new", 0, null, null)]);
        Task flush;
        Task[] events;
        try
        {
            await writerHolding.Task;

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
}
