using Xunit;

namespace Sluice.State.Contracts;

/// <summary>The behaviour every <see cref="ICheckpointStore"/> must show; each store's test project derives one class from this.</summary>
public abstract class CheckpointStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero).AddTicks(1_234_560);

    private ICheckpointStore? _store;

    /// <summary>Gets the store under test.</summary>
    protected ICheckpointStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a new, empty store for one test.</summary>
    protected abstract Task<ICheckpointStore> CreateStoreAsync();

    /// <summary>Creates the store under test.</summary>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <summary>Disposes the store under test when it is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _store = null;
    }

    private static CheckpointRecord Checkpoint(string step, int n, string? fingerprint = null) => new(
        fingerprint ?? new string((char)('a' + n), 64),
        "stock-forecaster",
        step,
        RunId.New(T0.AddSeconds(n), n),
        $"xxh128:{n:x32}",
        1000 + n,
        $"sluice-fingerprint/1\nstep \"{step}\"\nversion \"{n}\"\n",
        T0.AddSeconds(n));

    [Fact]
    public async Task Record_ThenFind_ReturnsEveryField()
    {
        CheckpointRecord checkpoint = Checkpoint("clean", 1);

        await Store.RecordCheckpointAsync(checkpoint);

        Assert.Equal(checkpoint, await Store.FindCheckpointAsync(checkpoint.Fingerprint));
        Assert.Null(await Store.FindCheckpointAsync(new string('f', 64)));
    }

    [Fact]
    public async Task Record_SameFingerprintAgain_NewestProductionWins()
    {
        string fingerprint = new('c', 64);
        await Store.RecordCheckpointAsync(Checkpoint("clean", 1, fingerprint));
        CheckpointRecord newer = Checkpoint("clean", 2, fingerprint);

        await Store.RecordCheckpointAsync(newer);

        Assert.Equal(newer, await Store.FindCheckpointAsync(fingerprint));
        Assert.Single(await Store.ListCheckpointsAsync("stock-forecaster", "clean"));
    }

    [Fact]
    public async Task Latest_IsTheNewestOfThatStepOnly()
    {
        await Store.RecordCheckpointAsync(Checkpoint("clean", 1));
        await Store.RecordCheckpointAsync(Checkpoint("clean", 3));
        await Store.RecordCheckpointAsync(Checkpoint("model", 5));

        Assert.Equal(Checkpoint("clean", 3), await Store.LatestCheckpointAsync("stock-forecaster", "clean"));
        Assert.Null(await Store.LatestCheckpointAsync("stock-forecaster", "report"));
        Assert.Null(await Store.LatestCheckpointAsync("other-pipeline", "clean"));
    }

    [Fact]
    public async Task List_NewestFirst_FilteredByStep()
    {
        await Store.RecordCheckpointAsync(Checkpoint("clean", 1));
        await Store.RecordCheckpointAsync(Checkpoint("model", 2));
        await Store.RecordCheckpointAsync(Checkpoint("clean", 3));

        Assert.Equal(["clean", "model", "clean"], (await Store.ListCheckpointsAsync("stock-forecaster", null)).Select(c => c.Step).Reverse());
        Assert.Equal([3, 1], (await Store.ListCheckpointsAsync("stock-forecaster", "clean")).Select(c => (int)(c.ArtifactSize - 1000)));
    }

    [Fact]
    public async Task Summaries_AreWhatDecidingNeedsOfEveryCheckpointOfThePipeline()
    {
        await Store.RecordCheckpointAsync(Checkpoint("clean", 1));
        await Store.RecordCheckpointAsync(Checkpoint("model", 2));
        await Store.RecordCheckpointAsync(Checkpoint("clean", 3) with { Pipeline = "other-pipeline" });

        IReadOnlyList<CheckpointSummary> summaries = await Store.ListCheckpointSummariesAsync("stock-forecaster");

        Assert.Equal(
            [new CheckpointSummary(new string('b', 64), RunId.New(T0.AddSeconds(1), 1), $"xxh128:{1:x32}", 1001), new CheckpointSummary(new string('c', 64), RunId.New(T0.AddSeconds(2), 2), $"xxh128:{2:x32}", 1002)],
            summaries.OrderBy(s => s.Fingerprint, StringComparer.Ordinal));
        Assert.Empty(await Store.ListCheckpointSummariesAsync("no-such-pipeline"));
    }

    [Fact]
    public async Task Delete_RemovesOnlyTheNamedCheckpoints_AndCountsThoseThatExisted()
    {
        await Store.RecordCheckpointAsync(Checkpoint("clean", 1));
        await Store.RecordCheckpointAsync(Checkpoint("clean", 2));
        await Store.RecordCheckpointAsync(Checkpoint("model", 3));

        int deleted = await Store.DeleteCheckpointsAsync([Checkpoint("clean", 1).Fingerprint, Checkpoint("model", 3).Fingerprint, new string('f', 64)]);

        Assert.Equal(2, deleted);
        Assert.Null(await Store.FindCheckpointAsync(Checkpoint("clean", 1).Fingerprint));
        Assert.Equal([Checkpoint("clean", 2)], await Store.ListCheckpointsAsync("stock-forecaster", null));
        Assert.Equal(0, await Store.DeleteCheckpointsAsync([]));
    }
}
