using System.Buffers;
using System.Text;

namespace Sluice.Secrets;

/// <summary>Passes bytes on to another stream only after checking them for every form of every known secret; throws <see cref="SecretLeakException"/> instead of passing on a secret.</summary>
/// <remarks>
/// Bytes are gathered in chunks and decoded as UTF-8 for the search. The last bytes of a chunk (one less than the
/// longest form) are held back and searched again with the next chunk, so a secret split across two writes is
/// still found, and none of its bytes has reached the destination when it is. <see cref="CompleteAsync"/> passes
/// on the held-back tail; a stream disposed without it passes nothing more on.
/// </remarks>
internal sealed class SecretScanningStream : Stream
{
    private const int ChunkSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly SecretPatterns _patterns;
    private readonly string _producer;
    private readonly int _holdBack;
    private byte[]? _buffer;
    private char[]? _chars;
    private int _count;
    private long _length;

    public SecretScanningStream(Stream inner, SecretPatterns patterns, string producer)
    {
        _inner = inner;
        _patterns = patterns;
        _producer = producer;
        _holdBack = Math.Max(0, patterns.MaxUtf8Length - 1);
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + _holdBack);
        _chars = ArrayPool<char>.Shared.Rent(_buffer.Length);
    }

    /// <summary>Writes what <paramref name="write"/> produces into <paramref name="destination"/> through a scan for <paramref name="redactor"/>'s secrets, or directly when it knows none.</summary>
    public static async Task WriteAsync(Stream destination, SecretRedactor redactor, string producer, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        if (redactor.Patterns is not { } patterns)
        {
            await write(destination).ConfigureAwait(false);
            return;
        }

        var scan = new SecretScanningStream(destination, patterns, producer);
        await using (scan.ConfigureAwait(false))
        {
            await write(scan).ConfigureAwait(false);
            await scan.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("Output being checked for secrets is written front to back.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = Append(buffer);
            if (_count == Buffer.Length)
            {
                _inner.Write(Buffer, 0, Scan(final: false));
                KeepTail();
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int before = buffer.Length;
            buffer = buffer[(before - Append(buffer.Span).Length)..];
            if (_count == Buffer.Length)
            {
                await _inner.WriteAsync(Buffer.AsMemory(0, Scan(final: false)), cancellationToken).ConfigureAwait(false);
                KeepTail();
            }
        }
    }

    /// <summary>Checks and passes on everything written so far, the held-back tail included; call once, after the last write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        int forward = Scan(final: true);
        await _inner.WriteAsync(Buffer.AsMemory(0, forward), cancellationToken).ConfigureAwait(false);
        _count = 0;
    }

    // A flush passes on what is checked, except the tail a secret could still be completing.
    public override void Flush()
    {
        _inner.Write(Buffer, 0, Scan(final: false));
        KeepTail();
        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(Buffer.AsMemory(0, Scan(final: false)), cancellationToken).ConfigureAwait(false);
        KeepTail();
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Output being checked for secrets cannot be read back.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Output being checked for secrets is written front to back.");

    public override void SetLength(long value) => throw new NotSupportedException("Output being checked for secrets is written front to back.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                ArrayPool<char>.Shared.Return(_chars!);
                (_buffer, _chars) = (null, null);
            }
        }

        base.Dispose(disposing);
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(SecretScanningStream));

    private ReadOnlySpan<byte> Append(ReadOnlySpan<byte> data)
    {
        int take = Math.Min(Buffer.Length - _count, data.Length);
        data[..take].CopyTo(Buffer.AsSpan(_count));
        _count += take;
        _length += take;
        return data[take..];
    }

    // Searches the gathered bytes and returns how many may be passed on: all when final, else all but the tail.
    private int Scan(bool final)
    {
        if (_count > 0)
        {
            int chars = Encoding.UTF8.GetChars(Buffer.AsSpan(0, _count), _chars);
            ReadOnlySpan<char> text = _chars.AsSpan(0, chars);
            int found = text.IndexOfAny(_patterns.Search);
            if (found >= 0)
            {
                (string name, string form) = _patterns.OriginOf(_patterns.MatchAt(text[found..]));
                _count = 0;
                throw new SecretLeakException(_producer, name, form);
            }
        }

        return final ? _count : _count - Math.Min(_holdBack, _count);
    }

    private void KeepTail()
    {
        int keep = Math.Min(_holdBack, _count);
        Buffer.AsSpan(_count - keep, keep).CopyTo(Buffer);
        _count = keep;
    }
}
