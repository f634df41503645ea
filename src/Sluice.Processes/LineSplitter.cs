using System.Buffers;
using System.Text;

namespace Sluice.Processes;

/// <summary>Splits what a program writes into lines, as <see cref="StreamReader.ReadLine"/> does, wherever its reads happen to cut it.</summary>
/// <remarks>
/// A line ends at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> (a progress bar's redraw); the text is UTF-8, a leading
/// byte-order mark is dropped and invalid bytes become U+FFFD. Only an unfinished line is kept between reads, in a
/// buffer from the shared pool, so memory stays bounded by the longest line however much the program writes.
/// If <c>onLine</c> throws, the splitter stops passing lines on (the rest of the log is lost, not the step) and keeps reading.
/// </remarks>
internal sealed class LineSplitter(Action<string> onLine) : IDisposable
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private byte[]? _pending;
    private int _length;
    private bool _started;
    private bool _broken;

    /// <summary>Passes on every line the bytes complete, and keeps the unfinished rest for the next call.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_length == 0)
        {
            ReadOnlySpan<byte> unfinished = Split(bytes, completed: false);
            if (!unfinished.IsEmpty)
            {
                Append(unfinished);
            }

            return;
        }

        Append(bytes);
        ReadOnlySpan<byte> rest = Split(_pending.AsSpan(0, _length), completed: false);
        rest.CopyTo(_pending);
        _length = rest.Length;
    }

    /// <summary>Ends the stream: what is left unfinished is a line too.</summary>
    public void Finish()
    {
        _ = Split(_pending.AsSpan(0, _length), completed: true);
        _length = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_pending is { } buffer)
        {
            _pending = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Passes every complete line on and returns the incomplete rest; at the end, the rest is a line too.
    private ReadOnlySpan<byte> Split(ReadOnlySpan<byte> bytes, bool completed)
    {
        if (!_started)
        {
            int mark = Math.Min(bytes.Length, ByteOrderMark.Length);
            if (ByteOrderMark.StartsWith(bytes[..mark]))
            {
                if (mark < ByteOrderMark.Length && !completed)
                {
                    return bytes; // too short to tell yet
                }

                if (mark == ByteOrderMark.Length)
                {
                    bytes = bytes[mark..];
                }
            }

            _started = true;
        }

        while (true)
        {
            int end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                break;
            }

            bool lastReturn = bytes[end] == (byte)'\r' && end == bytes.Length - 1;
            if (lastReturn && !completed)
            {
                // A \r last in what has arrived may be half of a \r\n: wait for the next byte before ending the line.
                return bytes;
            }

            Emit(bytes[..end]);
            int next = bytes[end] == (byte)'\r' && !lastReturn && bytes[end + 1] == (byte)'\n' ? end + 2 : end + 1;
            bytes = bytes[next..];
        }

        if (completed && !bytes.IsEmpty)
        {
            Emit(bytes);
            return [];
        }

        return bytes;
    }

    private void Emit(ReadOnlySpan<byte> line)
    {
        if (_broken)
        {
            return;
        }

        try
        {
            onLine(Encoding.UTF8.GetString(line));
        }
        catch (Exception)
        {
            _broken = true;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pending is null || _pending.Length < _length + bytes.Length)
        {
            byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(_length + bytes.Length, 256));
            _pending?.AsSpan(0, _length).CopyTo(grown);
            if (_pending is { } old)
            {
                ArrayPool<byte>.Shared.Return(old);
            }

            _pending = grown;
        }

        bytes.CopyTo(_pending.AsSpan(_length));
        _length += bytes.Length;
    }
}
