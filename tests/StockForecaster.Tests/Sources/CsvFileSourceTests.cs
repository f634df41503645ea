using System.Security.Cryptography;
using System.Text;
using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

public sealed class CsvFileSourceTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    // The file has 5,106 lines and its last has no newline, so `wc -l` counts 5,105 and PROVENANCE.md's
    // "5,104 trading days" is that count minus the header: there are 5,105 distinct dates, 2000-01-03 to 2020-04-17.
    [Fact]
    public void Read_BundledSp500_Gives5105LinesAfterTheHeader()
    {
        _project.CopyBundledData();

        RawSeries series = Read("data/sp500-2000.csv", "SPX");

        Assert.Equal(["date", "open", "high", "low", "close", "adjclose", "volume"], series.Header);
        Assert.Equal(5105, series.Lines.Length);
        Assert.Equal(5105, series.Lines.Select(l => l.Split(',')[0]).Distinct().Count());
        Assert.Equal(Enumerable.Range(2, 5105), series.LineNumbers);
        Assert.StartsWith("2000-01-03,", series.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2020-04-17,", series.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(new SourceInfo("csv", "data/sp500-2000.csv", Sha256(_project.Root, "data/sp500-2000.csv"), new FileInfo(Path.Combine(_project.Root, "data/sp500-2000.csv")).Length), series.Source);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsNotPartOfTheHeaderButIsHashed()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "Date,Close\n2024-01-02,4742.83\n"u8];
        _project.Write("p.csv", bytes);

        RawSeries series = Read("p.csv");

        Assert.Equal(["Date", "Close"], series.Header);
        Assert.Equal(["2024-01-02,4742.83"], series.Lines);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), series.Source.ContentHash);
        Assert.Equal(bytes.Length, series.Source.Bytes);
    }

    [Fact]
    public void Read_CrLfLineEndings_AreRemovedFromHeaderAndLines()
    {
        _project.Write("p.csv", "Date,Close\r\n2024-01-02,4742.83\r\n2024-01-03,4704.81\r\n");

        RawSeries series = Read("p.csv");

        Assert.Equal(["Date", "Close"], series.Header);
        Assert.Equal(["2024-01-02,4742.83", "2024-01-03,4704.81"], series.Lines);
        Assert.Equal([2, 3], series.LineNumbers);
    }

    [Fact]
    public void Read_BlankLinesAnywhere_AreSkippedAndLineNumbersStayTrue()
    {
        _project.Write("p.csv", "\n  \nDate,Close\n\n2024-01-02,4742.83\r\n \t \r\n2024-01-03,4704.81\n\n\n");

        RawSeries series = Read("p.csv");

        Assert.Equal(["Date", "Close"], series.Header);
        Assert.Equal(["2024-01-02,4742.83", "2024-01-03,4704.81"], series.Lines);
        Assert.Equal([5, 7], series.LineNumbers);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsKept()
    {
        _project.Write("p.csv", "Date,Close\n2024-01-02,4742.83\n2024-01-03,4704.81");

        Assert.Equal(["2024-01-02,4742.83", "2024-01-03,4704.81"], Read("p.csv").Lines);
    }

    [Theory]
    [InlineData("Date,Open,High,Low,Close,Adj Close,Volume")]
    [InlineData("date,open,high,low,close,adjclose,volume")]
    [InlineData(" Date , Open,HIGH,low ,\"Close\",,volume")]
    public void Read_HeaderVariants_AreKeptExactlyAsFound(string header)
    {
        _project.Write("p.csv", $"{header}\n2024-01-02,1,2,0.5,1.5,1.5,100\n");

        Assert.Equal(header.Split(','), Read("p.csv").Header);
    }

    [Fact]
    public void Read_ValuesAreNotJudged_BadValuesPassThroughForCleaning()
    {
        _project.Write("p.csv", "Date,Close\nnot a date,NaN\n2024-01-03\n,,,\n");

        RawSeries series = Read("p.csv");

        Assert.Equal(["not a date,NaN", "2024-01-03", ",,,"], series.Lines);
        Assert.Equal([2, 3, 4], series.LineNumbers);
    }

    [Fact]
    public void Read_EmptyFile_FailsNamingTheFile()
    {
        _project.Write("data/empty.csv", "");

        var e = Assert.Throws<DataValidationException>(() => Read("data/empty.csv"));

        Assert.Equal("data/empty.csv is empty: expected a header row and one line per day.", e.Message);
    }

    [Fact]
    public void Read_OnlyBlankLines_FailsNamingTheFile()
    {
        _project.Write("data/blank.csv", "\r\n\n   \n");

        var e = Assert.Throws<DataValidationException>(() => Read("data/blank.csv"));

        Assert.Equal("data/blank.csv holds only blank lines: expected a header row and one line per day.", e.Message);
    }

    [Fact]
    public void Read_FirstLineIsData_FailsAsMissingHeaderNamingFileAndLine()
    {
        _project.Write("data/nohead.csv", "\n2024-01-02,4742.83,1e9\n2024-01-03,4704.81,1e9\n");

        var e = Assert.Throws<DataValidationException>(() => Read("data/nohead.csv"));

        Assert.StartsWith("data/nohead.csv:2: the file has no header row: its first line, '2024-01-02,4742.83,1e9', holds values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_FailsNamingFileAndTicker()
    {
        var e = Assert.Throws<DataValidationException>(() => Read("data/nope.csv", "AAPL"));

        Assert.StartsWith("data/nope.csv (ticker AAPL) does not exist in ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PathLeavingTheProject_Fails()
    {
        var e = Assert.Throws<DataValidationException>(() => Read("../outside.csv"));

        Assert.Contains("is outside the project folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileNameStartingWithDots_IsInsideTheProject()
    {
        _project.Write("..prices.csv", "Date,Close\n2024-01-02,1\n");

        Assert.Equal(["2024-01-02,1"], Read("..prices.csv").Lines);
    }

    [Fact]
    public void Read_Utf16File_FailsAskingForUtf8()
    {
        _project.Write("p.csv", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Date,Close\n")).ToArray());

        var e = Assert.Throws<DataValidationException>(() => Read("p.csv"));

        Assert.Equal("p.csv is UTF-16 encoded: save it as UTF-8.", e.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_FailsNamingFileAndLine()
    {
        _project.Write("p.csv", [.. "Date,Close\n2024-01-02,"u8, 0xC3, 0x28, (byte)'\n']);

        var e = Assert.Throws<DataValidationException>(() => Read("p.csv"));

        Assert.StartsWith("p.csv:2: the line is not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyLinesOfMixedEndingsAcrossChunkBoundaries_MatchesALineByLineReading()
    {
        // Lines of varied length so that \r, \n and multi-byte characters fall on every side of the 64 KiB chunk edges.
        var text = new StringBuilder("Date,Note\n");
        for (int i = 0; i < 20_000; i++)
        {
            text.Append(i % 97 == 0 ? "" : $"2024-01-{i % 28 + 1:00},{new string('x', i % 53)}é{i}").Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        _project.Write("p.csv", text.ToString());
        string[] expected = File.ReadAllLines(Path.Combine(_project.Root, "p.csv"));

        RawSeries series = Read("p.csv");

        int[] dataLines = [.. Enumerable.Range(2, expected.Length - 1).Where(n => expected[n - 1].Length > 0)];
        Assert.Equal(dataLines, series.LineNumbers);
        Assert.Equal(dataLines.Select(n => expected[n - 1]), series.Lines);
    }

    [Fact]
    public void Read_LineLongerThanTheReadBuffer_IsKeptWhole()
    {
        string wide = string.Join(',', Enumerable.Range(0, 40_000));
        _project.Write("p.csv", $"Date,Values\n{wide}\n2024-01-03,1\n");

        RawSeries series = Read("p.csv");

        Assert.Equal([wide, "2024-01-03,1"], series.Lines);
        Assert.Equal([2, 3], series.LineNumbers);
    }

    private RawSeries Read(string path, string ticker = "TEST") => CsvFileSource.Read(ticker, path, _project.Root, CancellationToken.None);

    private static string Sha256(string root, string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, path))));
}
