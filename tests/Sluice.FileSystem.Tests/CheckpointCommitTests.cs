using Sluice.Artifacts;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.FileSystem;

/// <summary>The checkpoint of a committed step is queued, not awaited: a store that failed to write it is still found.</summary>
public sealed class CheckpointCommitTests : IDisposable
{
    private readonly TempDirectory _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Commit_AfterAnEarlierCheckpointWriteFailed_FailsWithThatError()
    {
        var store = new HeldCheckpointStore();
        var checkpointing = new Checkpointing(store, new FileSystemArtifactStore(_project.Path), new ArtifactSerializers(), new Dictionary<string, object>(), _ => false, TimeProvider.System);
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            p.Step("b").Executes(a, (_, x) => x + 1);
        });
        StepDefinition a = pipeline.Steps.Single(s => s.Name == "a");
        StepDefinition b = pipeline.Steps.Single(s => s.Name == "b");
        RunId run = RunId.New(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), 1);

        // The first commit returns while its checkpoint is still being written.
        await checkpointing.CommitAsync(a, Fingerprint.Compute("x", a, new Dictionary<string, object>(), new Dictionary<string, string>()), 1, run, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        store.Pending.SetException(new IOException("disk full"));

        Fingerprint fingerprint = Fingerprint.Compute("x", b, new Dictionary<string, object>(), new Dictionary<string, string> { ["a"] = "xxh128:00" });
        var e = await Assert.ThrowsAsync<IOException>(() => checkpointing.CommitAsync(b, fingerprint, 2, run, CancellationToken.None));

        Assert.Equal("disk full", e.Message);
    }

    private sealed class HeldCheckpointStore : ICheckpointStore
    {
        public TaskCompletionSource Pending { get; } = new();

        public Task RecordCheckpointAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken = default) =>
            checkpoint.Step == "a" ? Pending.Task : Task.CompletedTask;

        public Task<CheckpointRecord?> FindCheckpointAsync(string fingerprint, CancellationToken cancellationToken = default) => Task.FromResult<CheckpointRecord?>(null);

        public Task<CheckpointRecord?> LatestCheckpointAsync(string pipeline, string step, CancellationToken cancellationToken = default) => Task.FromResult<CheckpointRecord?>(null);

        public Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string pipeline, string? step, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CheckpointRecord>>([]);

        public Task<int> DeleteCheckpointsAsync(IEnumerable<string> fingerprints, CancellationToken cancellationToken = default) => Task.FromResult(0);
    }
}
