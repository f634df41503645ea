namespace Sluice.Artifacts;

/// <summary>Stores artifacts once by content hash and publishes them under human paths by atomic overwrite.</summary>
/// <remarks>
/// Writes are idempotent: writing bytes already stored returns the same <see cref="ArtifactRef"/> and
/// keeps one object. An object is durable when <see cref="WriteAsync"/> returns; only then may it be
/// published. Objects are never changed after they are written, so every published version stays
/// readable by its hash until it is deleted.
/// </remarks>
public interface IArtifactStore
{
    /// <summary>Gets the id of the algorithm this store hashes new objects with (see <see cref="ContentHash"/>).</summary>
    string HashAlgorithm { get; }

    /// <summary>Stores the bytes a producer writes to the given stream, hashing them on the way, and returns where they are.</summary>
    /// <remarks>If the producer throws or is cancelled, nothing is stored and the exception propagates.</remarks>
    Task<ArtifactRef> WriteAsync(Func<Stream, CancellationToken, Task> producer, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored object for reading, or returns null when it is not stored.</summary>
    Task<Stream?> OpenReadAsync(ContentHash hash, CancellationToken cancellationToken = default);

    /// <summary>Checks that a stored object exists with the expected length and, for <see cref="IntegrityCheck.Full"/>, the expected content.</summary>
    Task<IntegrityResult> CheckAsync(ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken = default);

    /// <summary>Publishes a stored object at a project-relative path, replacing what is there atomically: readers see the old file or the new one, never part of one.</summary>
    /// <exception cref="KeyNotFoundException">The object is not stored.</exception>
    /// <exception cref="ArgumentException">The path is rooted or leaves the project folder.</exception>
    Task PublishAsync(ContentHash hash, string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Checks that a published file still holds the expected object.</summary>
    Task<IntegrityResult> CheckPublishedAsync(string relativePath, ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken = default);

    /// <summary>Hashes a project file with the store's algorithm, for fingerprints; null when the file does not exist.</summary>
    Task<ContentHash?> HashProjectFileAsync(string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored object with its length (as found on disk, not verified).</summary>
    IAsyncEnumerable<ArtifactRef> EnumerateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a stored object, returning whether it existed; published copies are not touched.</summary>
    Task<bool> DeleteAsync(ContentHash hash, CancellationToken cancellationToken = default);

    /// <summary>Deletes temporary files that interrupted writes and publishes left behind, returning how many were deleted.</summary>
    /// <param name="olderThan">Only files untouched for at least this long are candidates, so a write in progress is left alone; zero (the caller holds the project lock) takes every temporary file no live writer has locked, whatever its time.</param>
    /// <param name="publishedPaths">Project-relative paths whose folders are searched too (temp files of a publish sit beside the target).</param>
    /// <param name="cancellationToken">Stops the search.</param>
    Task<int> CleanTemporaryFilesAsync(TimeSpan olderThan, IEnumerable<string> publishedPaths, CancellationToken cancellationToken = default);
}
