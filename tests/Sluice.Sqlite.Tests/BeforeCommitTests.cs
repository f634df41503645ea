using System.Globalization;
using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests;

/// <summary><see cref="SqliteRunStoreOptions.BeforeCommit"/> runs before every batch is committed: no row commits until it returns, and none if it throws.</summary>
public sealed class BeforeCommitTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("runs.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RecordCheckpoint_RowIsNotCommittedBeforeBeforeCommitReturns()
    {
        var seen = new List<long>();
        await using (SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            BeforeCommit = () => seen.Add(CommittedCheckpoints()),
        }))
        {
            await store.RecordCheckpointAsync(Checkpoint(1));
            Assert.Equal(1, CommittedCheckpoints());
            await store.RecordCheckpointAsync(Checkpoint(2));
            Assert.Equal(2, CommittedCheckpoints());
        }

        // Each callback saw only what earlier transactions had committed: never the row it ran for.
        Assert.Equal([0L, 1L], seen.Take(2));
    }

    [Fact]
    public async Task Batch_SplitByAMultiStatementWrite_RunsBeforeCommitOnceBeforeAnyOfItCommits()
    {
        var seen = new List<long>();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        await using (SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            BeforeCommit = () =>
            {
                seen.Add(CommittedCheckpoints());
                if (seen.Count == 1)
                {
                    holding.Set();
                    release.Wait();
                }
            },
        }))
        {
            Task first = store.RecordCheckpointAsync(Checkpoint(1));
            Task[] queued;
            try
            {
                Assert.True(holding.Wait(TimeSpan.FromSeconds(30)), "the writer never took the first batch");

                // One batch of three transactions: a checkpoint, a multi-statement delete of two, another checkpoint.
                queued = [store.RecordCheckpointAsync(Checkpoint(2)), store.DeleteCheckpointsAsync([Checkpoint(1).Fingerprint, Checkpoint(9).Fingerprint]), store.RecordCheckpointAsync(Checkpoint(3))];
            }
            finally
            {
                release.Set();
            }

            await Task.WhenAll([first, .. queued]);
            Assert.Equal(2, CommittedCheckpoints());
        }

        // Once per batch, and the second time before any of the second batch's transactions had committed. Every write
        // in a batch was queued before it was taken, so one flush covers the files all of them refer to.
        Assert.Equal([0L, 1L], seen);
    }

    [Fact]
    public async Task RecordCheckpoint_BeforeCommitThrows_WriteFailsAndNothingIsCommitted()
    {
        SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            BeforeCommit = () => throw new IOException("could not flush directory 'data'"),
        });
        try
        {
            IOException error = await Assert.ThrowsAsync<IOException>(() => store.RecordCheckpointAsync(Checkpoint(1)));
            Assert.Contains("could not flush", error.Message);
            await Assert.ThrowsAsync<IOException>(() => store.RecordCheckpointAsync(Checkpoint(2)));
        }
        finally
        {
            await store.DisposeAsync();
        }

        Assert.Equal(0, CommittedCheckpoints());
    }

    private long CommittedCheckpoints() =>
        Convert.ToInt64(RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM checkpoints;"), CultureInfo.InvariantCulture);

    private static CheckpointRecord Checkpoint(int n) => new(
        new string((char)('a' + n), 64), "commands-chain", "s" + n, RunId.New(T0, n), $"xxh128:{n:x32}", 10 + n, "key", T0);
}
