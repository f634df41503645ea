using Sluice.Cli.Commands;
using Sluice.Planning;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Cli.Tests.Commands;

/// <summary>Checkpoints read ahead are indexed by fingerprint as they are read, and handed out only while current.</summary>
public sealed class PrefetchedCheckpointsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);
    private readonly TempProject _project = new(withSample: false);

    private string DatabasePath => _project.PathTo(".sluice/runs.db");

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Read_NoDatabaseYet_IsNull() => Assert.Null(PrefetchedCheckpoints.Read(DatabasePath));

    [Fact]
    public async Task TakeIfCurrent_IndexesEachPipelinesFingerprints_OnceEach_UntilAnotherCommit()
    {
        await using (SqliteRunStore first = await SqliteRunStore.OpenAsync(DatabasePath))
        {
            await first.RecordCheckpointAsync(Checkpoint("chain", 1));
            await first.RecordCheckpointAsync(Checkpoint("chain", 2));
            await first.RecordCheckpointAsync(Checkpoint("other", 3));
            await first.RecordCheckpointAsync(Checkpoint("chain", 4) with { Fingerprint = "not-a-digest" });
        }

        using PrefetchedCheckpoints prefetch = PrefetchedCheckpoints.Read(DatabasePath)!;
        Execution.CheckpointIndex chain = prefetch.TakeIfCurrent("chain")!;

        // Every summary counts, but only a well-formed fingerprint can ever match a step's.
        Assert.Equal(3, chain.Count);
        Assert.Equal(["s1", "s2"], chain.ByFingerprint.Values.Select(s => s.RunId == RunId.New(T0, 1) ? "s1" : "s2").Order());
        Assert.True(FingerprintDigest.TryParse(Digest(2), out FingerprintDigest two));
        Assert.Equal(12, chain.ByFingerprint[two].ArtifactSize);
        Assert.Single(prefetch.TakeIfCurrent("other")!.ByFingerprint);
        Assert.Equal(0, prefetch.TakeIfCurrent("none")!.Count);

        // The gate that takes an index adds to it: taking it again gives a fresh one with the same entries.
        Execution.CheckpointIndex again = prefetch.TakeIfCurrent("chain")!;
        Assert.NotSame(chain, again);
        Assert.Equal(2, again.ByFingerprint.Count);
        Assert.True(again.ByFingerprint.Keys.ToHashSet().SetEquals(chain.ByFingerprint.Keys));

        await using (SqliteRunStore store = await SqliteRunStore.OpenAsync(DatabasePath))
        {
            await store.RecordCheckpointAsync(Checkpoint("chain", 5));
        }

        Assert.Null(prefetch.TakeIfCurrent("chain"));
    }

    private static string Digest(int n) => new((char)('a' + n), 64);

    private static CheckpointRecord Checkpoint(string pipeline, int n) => new(
        Digest(n), pipeline, "s" + n, RunId.New(T0, n), $"xxh128:{n:x32}", 10 + n, "key", T0);
}
