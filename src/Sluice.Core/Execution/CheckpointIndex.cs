using Sluice.Planning;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>A pipeline's checkpoint summaries keyed by fingerprint digest: what deciding reuse looks each step up in.</summary>
/// <remarks>
/// Built where the summaries are read: a run that reads them ahead on the spare core (the command line's prefetch)
/// builds this there too, so planning does not start by parsing 10,000 fingerprints on the path every step waits
/// behind. A stored value that is not 64 lower-case hex digits never equalled a fingerprint's text, and is left out
/// so it never matches one now.
/// </remarks>
internal sealed class CheckpointIndex
{
    /// <summary>Indexes <paramref name="summaries"/>; the later of two with the same fingerprint wins.</summary>
    public CheckpointIndex(IReadOnlyList<CheckpointSummary> summaries)
    {
        Count = summaries.Count;
        ByFingerprint = new Dictionary<FingerprintDigest, CheckpointSummary>(summaries.Count);
        for (int i = 0; i < summaries.Count; i++)
        {
            if (summaries[i].Digest is { } digest)
            {
                ByFingerprint[digest] = summaries[i];
            }
        }
    }

    /// <summary>Gets how many summaries were read, indexable or not.</summary>
    public int Count { get; }

    /// <summary>Gets the summaries by fingerprint; the gate that takes the index adds to it, so it is taken once.</summary>
    public Dictionary<FingerprintDigest, CheckpointSummary> ByFingerprint { get; }
}
