namespace Sluice.Artifacts;

/// <summary>Passes writes through to another stream while hashing and counting them, so a store learns an artifact's hash as it is written.</summary>
/// <remarks>Write-only and forward-only: a producer cannot seek back and change bytes already hashed.</remarks>
public sealed class HashingWriteStream : Stream
{
    private readonly Stream _inner;
    private readonly ContentHasher _hasher;

    /// <summary>Wraps a destination stream; the wrapper does not own it.</summary>
    public HashingWriteStream(Stream inner, string algorithm)
    {
        _inner = inner;
        _hasher = new ContentHasher(algorithm);
    }

    /// <summary>Gets the hash and length of everything written so far.</summary>
    public ArtifactRef Result => new(_hasher.GetHash(), _hasher.Length);

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => _hasher.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _hasher.Length;
        set => throw new NotSupportedException("An artifact is written front to back; seeking would change bytes already hashed.");
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _hasher.Append(buffer);
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hasher.Append(buffer.Span);
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An artifact being written cannot be read back.");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An artifact is written front to back; seeking would change bytes already hashed.");

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("An artifact is written front to back; its length is what was written.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
        }

        base.Dispose(disposing);
    }
}
