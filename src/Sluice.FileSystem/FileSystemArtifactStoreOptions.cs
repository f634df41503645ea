using Sluice.Artifacts;

namespace Sluice.FileSystem;

/// <summary>Configures a <see cref="FileSystemArtifactStore"/>.</summary>
public sealed class FileSystemArtifactStoreOptions
{
    /// <summary>Gets or sets the objects folder, relative to the project folder or absolute.</summary>
    /// <value>The default value is <c>.sluice/objects</c>.</value>
    public string ObjectsDirectory { get; set; } = Path.Combine(".sluice", "objects");

    /// <summary>Gets or sets the hash algorithm for new objects (objects of other algorithms stay readable).</summary>
    /// <value>The default value is <see cref="ContentHash.Xxh128"/> (docs/adr/0002-content-hash.md).</value>
    public string HashAlgorithm { get; set; } = ContentHash.Xxh128;

    /// <summary>Gets or sets the buffer between a producer and the temp file, in bytes.</summary>
    /// <value>The default value is 65536.</value>
    public int WriteBufferSize { get; set; } = 64 * 1024;

    /// <summary>Gets or sets where the folder fsyncs after each rename are held until a record refers to the files (<see cref="DurabilityBarrier"/>).</summary>
    /// <value>The default value is null: every folder is fsynced right after its rename, before the write returns.</value>
    public DurabilityBarrier? Durability { get; set; }
}
