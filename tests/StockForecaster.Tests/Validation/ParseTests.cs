using System.Globalization;
using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Validation;

namespace StockForecaster.Tests.Validation;

public class ParseTests
{
    [Fact]
    public void Validate_TextInPriceColumn_NamesFileLineColumnAndValue()
    {
        List<string> lines = Sources.Lines(30);
        lines[3] = SchemaDriftTests.Replace(lines[3], 4, "n/a");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines, "Date,Open,High,Low,Close,Adj Close,Volume")));

        Assert.Equal(
            "Validation failed: 1 problem in 1 of 1 series:\n  SPX: data/spx.csv:5:5 (Close): expected a decimal number, found 'n/a'",
            e.Message);
    }

    [Fact]
    public void Validate_EveryKindOfBadCell_IsReportedInOneFailure()
    {
        List<string> lines = Sources.Lines(30);
        lines[0] = SchemaDriftTests.Replace(lines[0], 0, "2015-02-30");
        lines[1] = SchemaDriftTests.Replace(lines[1], 6, "12.5");
        lines[2] = SchemaDriftTests.Replace(lines[2], 2, "");
        lines[3] = SchemaDriftTests.Replace(lines[3], 3, "null");
        lines[4] = SchemaDriftTests.Replace(lines[4], 1, "NaN");
        lines[5] = SchemaDriftTests.Without(lines[5], 6);

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        Assert.Equal(
            [
                "SPX: data/spx.csv:2:1 (date): expected a date (yyyy-MM-dd), found '2015-02-30'",
                "SPX: data/spx.csv:3:7 (volume): expected an integer, found '12.5'",
                "SPX: data/spx.csv:4:3 (high): expected a decimal number, found an empty value",
                "SPX: data/spx.csv:5:4 (low): expected a decimal number, found 'null'",
                "SPX: data/spx.csv:6:2 (open): expected a decimal number, found 'NaN'",
                "SPX: data/spx.csv:7: expected 7 fields, found 6",
            ],
            Sources.Problems(e));
        Assert.StartsWith("Validation failed: 6 problems in 1 of 1 series:\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LineWithAnExtraComma_IsOneProblemNotOnePerShiftedCell()
    {
        List<string> lines = Sources.Lines(30);
        lines[2] = lines[2].Replace(",", ",,", StringComparison.Ordinal);
        lines[3] = "2015-03-05,1,2,,3,4,5,6";

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        Assert.Equal(["SPX: data/spx.csv:4: expected 7 fields, found 13", "SPX: data/spx.csv:5: expected 7 fields, found 8"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_ManyBadCells_DescribesTwentyAndCountsTheRest()
    {
        List<string> lines = Sources.Lines(100);
        for (int i = 0; i < 25; i++)
        {
            lines[i * 4] = SchemaDriftTests.Replace(lines[i * 4], 6, "lots");
        }

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        string[] problems = Sources.Problems(e);
        Assert.Equal(21, problems.Length);
        Assert.Equal("SPX: data/spx.csv:2:7 (volume): expected an integer, found 'lots'", problems[0]);
        Assert.Equal("SPX: and 5 more", problems[^1]);
        Assert.StartsWith("Validation failed: 25 problems in 1 of 1 series:\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingValueInOptionalColumn_UsesClose()
    {
        List<string> lines = Sources.Lines(30);
        lines[2] = SchemaDriftTests.Replace(lines[2], 5, "null");
        lines[3] = SchemaDriftTests.Replace(lines[3], 5, "");

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Empty(clean.Findings);
        Assert.Equal(clean.Series[0].Close[2], clean.Series[0].AdjClose[2]);
        Assert.Equal(clean.Series[0].Close[3], clean.Series[0].AdjClose[3]);
    }

    [Fact]
    public void Validate_QuotedPaddedAndCarriageReturnedCells_Parse()
    {
        string[] lines = ["\"2015-03-02\", 100.5 ,101,99.5,100,100,\"1200\"\r", "2015-03-03,100,101,99,1.005e2,100.5,1300"];

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Equal([100, 100.5], clean.Series[0].Close);
        Assert.Equal([1200L, 1300L], clean.Series[0].Volume);
    }

    [Fact]
    public void Validate_UnderACommaDecimalCulture_ParsesInvariantly()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            CleanPrices clean = Sources.Validate(Sources.Series(["2015-03-02,1000.5,1001.25,999.75,1000.5,1000.5,1200"]));

            Assert.Equal(1001.25, clean.Series[0].High[0]);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("1455.219971")]
    [InlineData("0.1")]
    [InlineData("-3.25")]
    [InlineData("+7")]
    [InlineData(".5")]
    [InlineData("12.")]
    [InlineData("123456789012345678")]
    [InlineData("0.30000000000000004")]
    [InlineData("1.0000000000000002")]
    [InlineData("9007199254740993")]
    [InlineData("1e3")]
    [InlineData("1234567.1234567890123")]
    public void TryParseDecimal_AgreesWithTheFrameworkParser(string text)
    {
        Assert.True(Cells.TryParseDecimal(text, out double value));

        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("Infinity")]
    [InlineData("abc")]
    public void TryParseDecimal_RejectsWhatIsNotANumber(string text)
    {
        Assert.False(Cells.TryParseDecimal(text, out _));
    }
}
