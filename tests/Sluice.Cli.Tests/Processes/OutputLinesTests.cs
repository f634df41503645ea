using System.IO.Pipelines;
using System.Text;
using Sluice.Processes;

namespace Sluice.Cli.Tests.Processes;

/// <summary>A program's output is split into lines as StreamReader.ReadLine splits them, wherever the pipe's reads happen to cut it.</summary>
public sealed class OutputLinesTests
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
    public async Task PumpAsync_AnyCutsOfTheBytes_GivesStreamReadersLines(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        List<string> expected = ReadLines(bytes);

        // Every way of cutting the bytes in two, so a \r\n, a UTF-8 sequence and the byte-order mark are each split once.
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, await PumpAsync([bytes[..cut], bytes[cut..]]));
        }

        // And one byte per write.
        Assert.Equal(expected, await PumpAsync([.. bytes.Select(b => new[] { b })]));
    }

    [Fact]
    public async Task PumpAsync_LineLongerThanTheBuffers_ArrivesWhole()
    {
        string line = new('x', 300_000);

        Assert.Equal([line, "after"], await PumpAsync([Encoding.UTF8.GetBytes(line + "\nafter")]));
    }

    [Fact]
    public async Task PumpAsync_InvalidUtf8_BecomesReplacementCharacters()
    {
        Assert.Equal(["a\uFFFDb"], await PumpAsync([[(byte)'a', 0xFF, (byte)'b', (byte)'\n']]));
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

    // Writes the chunks to a pipe one flush at a time while the pump reads them, so each flush is a read of its own.
    private static async Task<List<string>> PumpAsync(IEnumerable<byte[]> chunks)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var lines = new List<string>();
        Task pumping = OutputLines.PumpAsync(pipe.Reader, lines.Add);
        foreach (byte[] chunk in chunks)
        {
            await pipe.Writer.WriteAsync(chunk);
            await Task.Yield();
        }

        await pipe.Writer.CompleteAsync();
        await pumping.WaitAsync(TimeSpan.FromSeconds(30));
        return lines;
    }
}
