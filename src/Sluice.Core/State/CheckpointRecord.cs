namespace Sluice.State;

/// <summary>A durable record that a step's work, identified by its fingerprint, produced an artifact.</summary>
/// <param name="Fingerprint">The step's fingerprint (64 hex digits).</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Step">The step's name.</param>
/// <param name="RunId">The run that produced the artifact.</param>
/// <param name="ArtifactHash">The content hash of the artifact.</param>
/// <param name="ArtifactSize">The artifact's size in bytes, checked on every reuse.</param>
/// <param name="FingerprintKey">The fingerprint's key text, kept so a later plan can say what changed.</param>
/// <param name="CreatedAt">When the checkpoint was recorded.</param>
public sealed record CheckpointRecord(
    string Fingerprint,
    string Pipeline,
    string Step,
    RunId RunId,
    string ArtifactHash,
    long ArtifactSize,
    string FingerprintKey,
    DateTimeOffset CreatedAt);
