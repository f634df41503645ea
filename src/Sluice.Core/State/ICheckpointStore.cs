namespace Sluice.State;

/// <summary>Keeps checkpoints: which artifact a step's work produced, by fingerprint.</summary>
public interface ICheckpointStore
{
    /// <summary>Records a checkpoint; a later one with the same fingerprint replaces it (the newest production wins).</summary>
    /// <remarks>
    /// Writes must become durable in call order with the run store's writes of the same run: Checkpointing does not await
    /// this task, and relies on a step's checkpoint committing no later than the step's success and the next step's writes.
    /// A failed write must fault the task; it fails the next checkpoint of the run and the run's final flush.
    /// </remarks>
    Task RecordCheckpointAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Finds the checkpoint of a fingerprint, or <see langword="null"/>.</summary>
    Task<CheckpointRecord?> FindCheckpointAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Finds the newest checkpoint of a step whatever its fingerprint, to explain what changed; <see langword="null"/> if none.</summary>
    Task<CheckpointRecord?> LatestCheckpointAsync(string pipeline, string step, CancellationToken cancellationToken = default);

    /// <summary>Lists a pipeline's checkpoints, newest first, optionally of one step.</summary>
    Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string pipeline, string? step, CancellationToken cancellationToken = default);

    /// <summary>Lists what deciding reuse needs of a pipeline's checkpoints, in no particular order; a store can read far less for it than <see cref="ListCheckpointsAsync"/> does.</summary>
    async Task<IReadOnlyList<CheckpointSummary>> ListCheckpointSummariesAsync(string pipeline, CancellationToken cancellationToken = default) =>
        [.. (await ListCheckpointsAsync(pipeline, null, cancellationToken).ConfigureAwait(false)).Select(c => new CheckpointSummary(c.Fingerprint, c.RunId, c.ArtifactHash, c.ArtifactSize))];

    /// <summary>Deletes the checkpoints of the given fingerprints together, returning how many existed; unknown fingerprints are ignored.</summary>
    /// <remarks>Used by garbage collection: a deleted checkpoint only means the next run of that work cannot reuse it.</remarks>
    Task<int> DeleteCheckpointsAsync(IEnumerable<string> fingerprints, CancellationToken cancellationToken = default);
}
