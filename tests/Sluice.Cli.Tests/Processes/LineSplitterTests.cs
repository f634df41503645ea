using System.Text;
using Sluice.Processes;

namespace Sluice.Cli.Tests.Processes;

/// <summary>A program's output is split into lines as StreamReader.ReadLine splits them, wherever the pipe's reads happen to cut it.</summary>
public sealed class LineSplitterTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "one",
        "one\n",
        "one\ntwo\n",
        "\n\n",
        "crlf\r\nnext",
        "lone\rreturn\r",
        "mixed\r\n\r\n\rend\n\r",
        "\r",
        "\r\n",
        "é, ü and 東京\nsecond",
        "\uFEFFmarked\nplain",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Feed_AnyCutsOfTheBytes_GivesStreamReadersLines(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        List<string> expected = ReadLines(bytes);

        // Every way of cutting the bytes in two, so a \r\n, a UTF-8 sequence and the byte-order mark are each split once.
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, Split([bytes[..cut], bytes[cut..]]));
        }

        // And one byte per write.
        Assert.Equal(expected, Split([.. bytes.Select(b => new[] { b })]));
    }

    [Fact]
    public void Feed_LineLongerThanTheBuffers_ArrivesWhole()
    {
        string line = new('x', 300_000);

        Assert.Equal([line, "after"], Split([Encoding.UTF8.GetBytes(line + "\nafter")]));
        Assert.Equal([line, "after"], Split(Encoding.UTF8.GetBytes(line + "\nafter").Chunk(4096)));
    }

    [Fact]
    public void Feed_OnLineThrows_LaterLinesAreDroppedAndNothingThrows()
    {
        int calls = 0;
        using var splitter = new LineSplitter(_ => { calls++; throw new InvalidOperationException("sink failed"); });

        splitter.Feed("one\ntwo\nthree"u8);
        splitter.Finish();

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Feed_InvalidUtf8_BecomesReplacementCharacters()
    {
        Assert.Equal(["a\uFFFDb"], Split([[(byte)'a', 0xFF, (byte)'b', (byte)'\n']]));
    }

    // What StreamReader, which the runner used before, makes of the same bytes.
    private static List<string> ReadLines(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    // Feeds the chunks one at a time, as the reads of a pipe would hand them over, then ends the stream.
    private static List<string> Split(IEnumerable<byte[]> chunks)
    {
        var lines = new List<string>();
        using var splitter = new LineSplitter(lines.Add);
        foreach (byte[] chunk in chunks)
        {
            splitter.Feed(chunk);
        }

        splitter.Finish();
        return lines;
    }
}
