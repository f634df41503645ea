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
}
