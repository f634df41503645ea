using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Sluice.Processes;

/// <summary>Splits what a program writes into lines, as <see cref="StreamReader.ReadLine"/> does, through pooled buffers.</summary>
/// <remarks>
/// A line ends at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> (a progress bar's redraw); the text is UTF-8, a leading
/// byte-order mark is dropped and invalid bytes become U+FFFD. A <see cref="StreamReader"/> per pipe allocated 12 KB of
/// buffers for every command, two per step, which a run of many short commands paid for in garbage collections; a
/// <see cref="PipeReader"/> rents its buffers from the shared pool and gives them back. Memory stays bounded by the
/// longest line, however much the program writes.
/// </remarks>
internal static class OutputLines
{
    private static ReadOnlySpan<byte> LineEnds => "\r\n"u8;

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Reads <paramref name="reader"/> to its end, passing each line to <paramref name="onLine"/>; completes the reader.</summary>
    public static async Task PumpAsync(PipeReader reader, Action<string> onLine)
    {
        try
        {
            bool first = true;
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (first)
                {
                    int mark = MarkLength(buffer);
                    if (mark < 0 && !result.IsCompleted)
                    {
                        reader.AdvanceTo(buffer.Start, buffer.End); // too short to tell yet
                        continue;
                    }

                    first = false;
                    buffer = buffer.Slice(Math.Max(mark, 0));
                }

                SequencePosition rest = Split(buffer, result.IsCompleted, onLine);
                reader.AdvanceTo(rest, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Passes every complete line on and returns where the incomplete rest begins; at the end, the rest is a line too.
    private static SequencePosition Split(ReadOnlySequence<byte> buffer, bool completed, Action<string> onLine)
    {
        var lines = new SequenceReader<byte>(buffer);
        while (lines.TryReadToAny(out ReadOnlySequence<byte> line, LineEnds, advancePastDelimiter: false))
        {
            lines.TryRead(out byte end);
            if (end == (byte)'\r' && lines.End && !completed)
            {
                // A \r last in what has arrived may be half of a \r\n: wait for the next byte before ending the line.
                lines.Rewind(line.Length + 1);
                return lines.Position;
            }

            if (end == (byte)'\r')
            {
                lines.IsNext((byte)'\n', advancePast: true);
            }

            onLine(Decode(line));
        }

        if (completed && !lines.End)
        {
            onLine(Decode(lines.UnreadSequence));
            return buffer.End;
        }

        return lines.Position;
    }

    private static string Decode(ReadOnlySequence<byte> bytes) =>
        bytes.IsSingleSegment ? Encoding.UTF8.GetString(bytes.FirstSpan) : Encoding.UTF8.GetString(bytes);

    // The byte-order mark's length if the buffer starts with it, 0 if it does not, -1 if it is too short to tell.
    private static int MarkLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[3];
        int length = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, length).CopyTo(start);
        return !ByteOrderMark.StartsWith(start[..length]) ? 0 : length == ByteOrderMark.Length ? length : -1;
    }
}
