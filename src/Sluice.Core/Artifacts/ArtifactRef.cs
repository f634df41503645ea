namespace Sluice.Artifacts;

/// <summary>Points at a stored artifact: its content hash and its length in bytes, enough to find it and to notice truncation without reading it.</summary>
/// <param name="Hash">The content hash of the artifact's bytes.</param>
/// <param name="Length">The artifact's length in bytes.</param>
public readonly record struct ArtifactRef(ContentHash Hash, long Length)
{
    /// <summary>Returns the hash and length, as <c>xxh128:5d1f... (12 bytes)</c>.</summary>
    public override string ToString() => $"{Hash} ({Length} bytes)";
}
