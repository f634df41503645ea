using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Sluice.Definitions;
using StockForecaster.Data;

namespace StockForecaster.Sources;

/// <summary>Reads one CSV file into a <see cref="RawSeries"/>: the header as found and every non-blank line with its true line number.</summary>
/// <remarks>
/// The file is read once in chunks: each chunk is hashed as it arrives and cut into lines, so the bytes are never
/// held whole beside the lines made from them. Lines end at <c>\n</c>; a <c>\r</c> before it is dropped.
/// A UTF-8 byte order mark is skipped (but hashed). Values are not looked at: cleaning parses them.
/// </remarks>
internal static class CsvFileSource
{
    private const int ChunkSize = 64 * 1024;

    private static readonly SearchValues<char> NumberOrDateChars = SearchValues.Create("0123456789.-+/:eE");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static RawSeries Read(string ticker, string relativePath, string projectDirectory, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(projectDirectory);
        string fullPath = Path.GetFullPath(Path.Combine(root, relativePath));
        string inside = Path.GetRelativePath(root, fullPath);
        if (inside == ".." || inside.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(inside))
        {
            throw new DataValidationException($"{relativePath} (ticker {ticker}) is outside the project folder {root}: keep data files in the project.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataValidationException($"{relativePath} (ticker {ticker}) does not exist in {root}: check its Path in Ingest:Sources.", e);
        }

        using (stream)
        {
            return Split(ticker, relativePath, stream, cancellationToken);
        }
    }

    private static RawSeries Split(string ticker, string location, Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new LineCollector(location, stream.CanSeek ? stream.Length : 0);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            // Unconsumed bytes are buffer[start..end): the tail of a line whose end has not arrived yet.
            int start = 0;
            int end = 0;
            long total = 0;
            bool endOfFile = false;
            while (true)
            {
                int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    reader.Add(buffer.AsSpan(start, newline));
                    start += newline + 1;
                    continue;
                }

                if (endOfFile)
                {
                    if (start < end)
                    {
                        reader.Add(buffer.AsSpan(start, end - start));
                    }

                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    // One line longer than the buffer: grow it rather than cut the line.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    endOfFile = true;
                    continue;
                }

                hash.AppendData(buffer, end, read);
                end += read;
                total += read;
            }

            string sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            return reader.Finish(ticker, new SourceInfo(SourceSettings.CsvKind, location, sha256, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Turns raw lines into the header and data lines, counting every line, blank or not.</summary>
    private sealed class LineCollector(string location, long length)
    {
        private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

        private readonly List<string> _lines = new((int)Math.Min(length / 48 + 16, 1 << 20));
        private readonly List<int> _lineNumbers = new((int)Math.Min(length / 48 + 16, 1 << 20));
        private string[]? _header;
        private int _lineNumber;

        public void Add(ReadOnlySpan<byte> line)
        {
            _lineNumber++;
            if (_lineNumber == 1)
            {
                line = SkipByteOrderMark(line);
            }

            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (IsBlank(line))
            {
                return;
            }

            string text = Decode(line);
            if (_header is null)
            {
                _header = text.Split(',');
                if (LooksLikeData(_header))
                {
                    throw new DataValidationException(
                        $"{location}:{_lineNumber}: the file has no header row: its first line, '{Shorten(text)}', holds values, not column names. Add a header row naming the columns.");
                }

                return;
            }

            _lines.Add(text);
            _lineNumbers.Add(_lineNumber);
        }

        public RawSeries Finish(string ticker, SourceInfo source)
        {
            if (_header is null)
            {
                throw new DataValidationException(source.Bytes == 0
                    ? $"{location} is empty: expected a header row and one line per day."
                    : $"{location} holds only blank lines: expected a header row and one line per day.");
            }

            return new RawSeries(ticker, source, _header, [.. _lines], [.. _lineNumbers]);
        }

        private ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> line)
        {
            if (line.StartsWith(Utf8Bom))
            {
                return line[Utf8Bom.Length..];
            }

            if (line.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || line.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                throw new DataValidationException($"{location} is UTF-16 encoded: save it as UTF-8.");
            }

            return line;
        }

        private string Decode(ReadOnlySpan<byte> line)
        {
            try
            {
                return StrictUtf8.GetString(line);
            }
            catch (DecoderFallbackException e)
            {
                throw new DataValidationException($"{location}:{_lineNumber}: the line is not valid UTF-8: save the file as UTF-8.", e);
            }
        }

        private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

        // A header whose every field reads as a number or a date is the first data line: the header row is missing.
        private static bool LooksLikeData(string[] fields) => fields.All(field =>
        {
            ReadOnlySpan<char> value = field.AsSpan().Trim();
            return value.Length > 0 && value.ContainsAnyInRange('0', '9') && !value.ContainsAnyExcept(NumberOrDateChars);
        });

        private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }
}
