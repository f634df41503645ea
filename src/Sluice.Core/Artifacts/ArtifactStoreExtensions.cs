namespace Sluice.Artifacts;

/// <summary>Writes and reads typed values through an <see cref="IArtifactStore"/> with a serializer.</summary>
public static class ArtifactStoreExtensions
{
    /// <summary>Serializes a value straight into the store and returns where it is.</summary>
    public static Task<ArtifactRef> WriteValueAsync<T>(this IArtifactStore store, T value, IArtifactSerializer<T> serializer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        return store.WriteAsync((stream, ct) => serializer.SerializeAsync(value, stream, ct), cancellationToken);
    }

    /// <summary>Reads a stored value back.</summary>
    /// <exception cref="KeyNotFoundException">The object is not stored.</exception>
    public static async Task<T> ReadValueAsync<T>(this IArtifactStore store, ContentHash hash, IArtifactSerializer<T> serializer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        Stream stream = await store.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Artifact {hash} is not in the store.");
        await using (stream.ConfigureAwait(false))
        {
            return await serializer.DeserializeAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}
