using System.IO.Hashing;
using System.Security.Cryptography;

namespace Sluice.Artifacts;

/// <summary>Hashes content incrementally with one of the <see cref="ContentHash"/> algorithms, so no artifact is ever held whole to be hashed.</summary>
public sealed class ContentHasher : IDisposable
{
    private const int ReadBufferSize = 1 << 20;

    private readonly XxHash128? _xxh128;
    private readonly IncrementalHash? _sha256;

    /// <summary>Creates a hasher for an algorithm id (<see cref="ContentHash.Xxh128"/> or <see cref="ContentHash.Sha256"/>).</summary>
    public ContentHasher(string algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ContentHash.Xxh128:
                _xxh128 = new XxHash128();
                break;
            case ContentHash.Sha256:
                _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            default:
                throw new ArgumentException($"Hash algorithm '{algorithm}' is not known; use '{ContentHash.Xxh128}' or '{ContentHash.Sha256}'.", nameof(algorithm));
        }
    }

    /// <summary>Gets the algorithm id.</summary>
    public string Algorithm { get; }

    /// <summary>Gets how many bytes have been appended.</summary>
    public long Length { get; private set; }

    /// <summary>Hashes a whole stream from its current position, reading it in 1 MiB pieces.</summary>
    public static async Task<ArtifactRef> HashAsync(string algorithm, Stream source, CancellationToken cancellationToken = default)
    {
        using var hasher = new ContentHasher(algorithm);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ReadBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ArtifactRef(hasher.GetHash(), hasher.Length);
    }

    /// <summary>Adds bytes to the hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_xxh128 is not null)
        {
            _xxh128.Append(data);
        }
        else
        {
            _sha256!.AppendData(data);
        }

        Length += data.Length;
    }

    /// <summary>Returns the hash of everything appended so far.</summary>
    public ContentHash GetHash()
    {
        Span<byte> digest = stackalloc byte[32];
        int written = _xxh128 is not null ? _xxh128.GetCurrentHash(digest) : _sha256!.GetCurrentHash(digest);
        return ContentHash.FromDigest(Algorithm, digest[..written]);
    }

    /// <inheritdoc/>
    public void Dispose() => _sha256?.Dispose();
}
