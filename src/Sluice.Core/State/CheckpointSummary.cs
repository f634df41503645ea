namespace Sluice.State;

/// <summary>What deciding reuse needs of a checkpoint: a no-op re-run of a large pipeline reads these, not whole records with their key text.</summary>
/// <param name="Fingerprint">The step's fingerprint (64 hex digits).</param>
/// <param name="RunId">The run that produced the artifact.</param>
/// <param name="ArtifactHash">The content hash of the artifact.</param>
/// <param name="ArtifactSize">The artifact's size in bytes, checked on every reuse.</param>
public sealed record CheckpointSummary(string Fingerprint, RunId RunId, string ArtifactHash, long ArtifactSize);
