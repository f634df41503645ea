using Sluice.Planning;

namespace Sluice.State;

/// <summary>What deciding reuse needs of a checkpoint: a no-op re-run of a large pipeline reads these, not whole records with their key text.</summary>
/// <remarks>
/// A store that reads the fingerprint's digest straight from its stored bytes (the SQLite store) gives it here, and the
/// 64-digit text is written only if someone asks for it: a 10,000-step no-op re-run read 10,000 such strings and
/// parsed each back into the digest that deciding looks up, on the path planning waits behind (docs/benchmarks.md).
/// Two summaries are equal when their four values are, however each was made.
/// </remarks>
public sealed record CheckpointSummary
{
    private string? _fingerprint;

    /// <summary>Initializes a summary.</summary>
    /// <param name="fingerprint">The step's fingerprint (64 hex digits).</param>
    /// <param name="runId">The run that produced the artifact.</param>
    /// <param name="artifactHash">The content hash of the artifact.</param>
    /// <param name="artifactSize">The artifact's size in bytes, checked on every reuse.</param>
    public CheckpointSummary(string fingerprint, RunId runId, string artifactHash, long artifactSize)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        _fingerprint = fingerprint;
        Digest = FingerprintDigest.TryParse(fingerprint, out FingerprintDigest digest) ? digest : null;
        RunId = runId;
        ArtifactHash = artifactHash;
        ArtifactSize = artifactSize;
    }

    /// <summary>Initializes a summary from a fingerprint's digest, whose text is made only when asked for.</summary>
    internal CheckpointSummary(FingerprintDigest digest, RunId runId, string artifactHash, long artifactSize)
    {
        Digest = digest;
        RunId = runId;
        ArtifactHash = artifactHash;
        ArtifactSize = artifactSize;
    }

    /// <summary>Gets the step's fingerprint (64 hex digits).</summary>
    public string Fingerprint => _fingerprint ??= Digest!.Value.ToString();

    /// <summary>Gets the run that produced the artifact.</summary>
    public RunId RunId { get; init; }

    /// <summary>Gets the content hash of the artifact.</summary>
    public string ArtifactHash { get; init; }

    /// <summary>Gets the artifact's size in bytes, checked on every reuse.</summary>
    public long ArtifactSize { get; init; }

    /// <summary>Gets the fingerprint's digest; null when the stored text is not one a fingerprint ever has, so it matches no step.</summary>
    internal FingerprintDigest? Digest { get; }

    /// <inheritdoc/>
    public bool Equals(CheckpointSummary? other) =>
        other is not null && string.Equals(Fingerprint, other.Fingerprint, StringComparison.Ordinal) && RunId == other.RunId
        && string.Equals(ArtifactHash, other.ArtifactHash, StringComparison.Ordinal) && ArtifactSize == other.ArtifactSize;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Digest?.GetHashCode() ?? StringComparer.Ordinal.GetHashCode(Fingerprint), RunId, ArtifactHash, ArtifactSize);
}
