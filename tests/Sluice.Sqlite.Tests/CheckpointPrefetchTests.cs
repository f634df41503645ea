using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests;

/// <summary>Summaries read ahead are handed out only while no other connection has committed since the read.</summary>
public sealed class CheckpointPrefetchTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("state/runs.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_NoDatabaseYet_IsNull() => Assert.Null(CheckpointPrefetch.Read(DatabasePath));

    [Fact]
    public async Task TakeIfCurrent_GivesEachPipelineItsOwn_ThroughTheStoresOpenAndCheckpoint_UntilAnotherCommit()
    {
        await using (SqliteRunStore first = await SqliteRunStore.OpenAsync(DatabasePath))
        {
            await first.RecordCheckpointAsync(Checkpoint("chain", 1));
            await first.RecordCheckpointAsync(Checkpoint("chain", 2));
            await first.RecordCheckpointAsync(Checkpoint("other", 3));
        }

        using CheckpointPrefetch prefetch = CheckpointPrefetch.Read(DatabasePath)!;

        // What a run does before it reads: open the store, whose checkpointer copies the log in meanwhile.
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(DatabasePath);
        Assert.True(store.Checkpointer.WaitIdle(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, store.Checkpointer.Completed);

        Assert.Equal((await store.ListCheckpointSummariesAsync("chain")).OrderBy(c => c.Fingerprint), prefetch.TakeIfCurrent("chain")!.OrderBy(c => c.Fingerprint));
        Assert.Equal(await store.ListCheckpointSummariesAsync("other"), prefetch.TakeIfCurrent("other"));
        Assert.Empty(prefetch.TakeIfCurrent("none")!);

        await store.RecordCheckpointAsync(Checkpoint("chain", 4));

        Assert.Null(prefetch.TakeIfCurrent("chain"));
    }

    [Fact]
    public async Task TakeIfCurrent_AfterDispose_IsNull()
    {
        await using (SqliteRunStore first = await SqliteRunStore.OpenAsync(DatabasePath))
        {
            await first.RecordCheckpointAsync(Checkpoint("chain", 1));
        }

        CheckpointPrefetch prefetch = CheckpointPrefetch.Read(DatabasePath)!;
        Assert.Single(prefetch.TakeIfCurrent("chain")!);

        prefetch.Dispose();

        Assert.Null(prefetch.TakeIfCurrent("chain"));
    }

    private static CheckpointRecord Checkpoint(string pipeline, int n) => new(
        new string((char)('a' + n), 64), pipeline, "s" + n, RunId.New(T0, n), $"xxh128:{n:x32}", 10 + n, "key", T0);
}
