using Sluice.Definitions;
using StockForecaster.Data;

namespace StockForecaster.Tests.Validation;

public class SchemaDriftTests
{
    [Fact]
    public void Validate_RenamedAndRemovedColumns_FailsWithTheWholeDiff()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Without(l, 6)), "date,open,high,low,Closing Price,adjclose");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series));

        Assert.Equal(
            "Validation failed: 1 problem in 1 of 1 series:\n"
            + "  SPX: data/spx.csv: schema drift from the contract: removed 'volume' (required); renamed 'close' -> 'Closing Price'",
            e.Message);
    }

    [Fact]
    public void Validate_RenamedColumnUnderFail_AlsoReportsTheRowsProblems()
    {
        List<string> lines = Sources.Lines(30);
        lines[3] = Replace(lines[3], 4, "n/a");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines, "date,open,high,low,Closing Price,adjclose,volume")));

        Assert.Equal(
            [
                "SPX: data/spx.csv: schema drift from the contract: renamed 'close' -> 'Closing Price'",
                "SPX: data/spx.csv:5:5 (Closing Price): expected a decimal number, found 'n/a'",
            ],
            Sources.Problems(e));
    }

    [Fact]
    public void Validate_RenamedColumnUnderWarn_ReportsRenameInDiffAndReadsTheColumn()
    {
        List<string> lines = Sources.Lines(30);
        RawSeries series = Sources.Series(lines, "date,open,high,low,Closing Price,adjclose,volume");

        CleanPrices clean = Sources.Validate(series, Sources.Contract(schemaDrift: "warn"));

        Finding finding = Assert.Single(clean.Findings);
        Assert.Equal(new Finding(Severity.Warning, "schema-drift", "SPX", "data/spx.csv: schema drift from the contract: renamed 'close' -> 'Closing Price'"), finding);
        Assert.Equal(double.Parse(lines[^1].Split(',')[4], System.Globalization.CultureInfo.InvariantCulture), clean.Series[0].Close[^1]);
    }

    [Fact]
    public void Validate_RenamedColumnAtAnotherPosition_IsFoundByItsName()
    {
        // 'trades' sits where volume was expected, but 'Volume Traded' has the name as well as integer values: the stronger evidence wins.
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Without(l, 6) + ",7," + l.Split(',')[6]), "date,open,high,low,close,adjclose,trades,Volume Traded");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: added 'trades'; renamed 'volume' -> 'Volume Traded'"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_AddedColumnUnderFail_FailsNamingIt()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => l + ",0.25"), Sources.Header + ",Dividends");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: added 'Dividends'"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_AddedColumnUnderWarn_ProceedsWithAFinding()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => l + ",0.25"), Sources.Header + ",Dividends");

        CleanPrices clean = Sources.Validate(series, Sources.Contract(schemaDrift: "warn"));

        Assert.Equal([new Finding(Severity.Warning, "schema-drift", "SPX", "data/spx.csv: schema drift from the contract: added 'Dividends'")], clean.Findings);
        Assert.Equal(30, clean.Series[0].Dates.Length);
    }

    [Fact]
    public void Validate_RetypedColumn_SaysWhatTheValuesLookLike()
    {
        // Dates in the open column on every row: the column changed meaning, which is drift, not thirty bad cells.
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Replace(l, 1, l.Split(',')[0])));

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series, Sources.Contract(schemaDrift: "warn")));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: retyped 'open': expected a decimal number, found dates in 30 of 30 sampled rows (e.g. '2015-03-02' on line 2)"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_RetypedOptionalColumnUnderWarn_DropsItAndUsesClose()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Replace(l, 5, "n/a")));

        CleanPrices clean = Sources.Validate(series, Sources.Contract(schemaDrift: "warn"));

        Assert.Equal(
            [new Finding(Severity.Warning, "schema-drift", "SPX", "data/spx.csv: schema drift from the contract: retyped 'adjclose': expected a decimal number, found text in 30 of 30 sampled rows (e.g. 'n/a' on line 2) (optional, using close)")],
            clean.Findings);
        Assert.Equal(clean.Series[0].Close, clean.Series[0].AdjClose);
    }

    [Fact]
    public void Validate_RetypedOptionalColumnUnderFail_IsOneProblemNotOnePerCell()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Replace(l, 5, "n/a")));

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: retyped 'adjclose': expected a decimal number, found text in 30 of 30 sampled rows (e.g. 'n/a' on line 2)"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_RequiredColumnRemovedUnderWarn_StillFails()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Without(l, 6)), "date,open,high,low,close,adjclose");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series, Sources.Contract(schemaDrift: "warn")));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: removed 'volume' (required)"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_OptionalColumnAbsent_IsInfoAndUsesClose()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => Without(l, 5)), "date,open,high,low,close,volume");

        CleanPrices clean = Sources.Validate(series);

        Assert.Equal([new Finding(Severity.Info, "schema-drift", "SPX", "data/spx.csv: schema drift from the contract: removed 'adjclose' (optional, using close)")], clean.Findings);
        Assert.Equal(clean.Series[0].Close, clean.Series[0].AdjClose);
    }

    [Theory]
    [InlineData("Date,Open,High,Low,Close,Adj Close,Volume")]
    [InlineData("date,open,high,low,close,adj close,volume")]
    [InlineData("DATE,OPEN,HIGH,LOW,CLOSE,AdjClose,VOLUME")]
    [InlineData(" Date , Open,High ,Low, Close ,adj_close,Volume ")]
    [InlineData("\uFEFFdate,open,high,low,close,Adj. Close,volume")]
    public void Validate_CaseAndSpacingVariantsOfHeaders_MatchTheContract(string header)
    {
        CleanPrices clean = Sources.Validate(Sources.Series(Sources.Lines(30), header));

        Assert.Empty(clean.Findings);
        Assert.Equal(30, clean.Series[0].Close.Length);
    }

    [Fact]
    public void Validate_TwoColumnsMatchingOneField_IsAmbiguousWhateverThePolicy()
    {
        RawSeries series = Sources.Series(Sources.Lines(30).Select(l => l + "," + l.Split(',')[4]), Sources.Header + ",Close");

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(series, Sources.Contract(schemaDrift: "warn")));

        Assert.Equal(["SPX: data/spx.csv: schema drift from the contract: ambiguous: columns 5 'close' and 8 'Close' both match 'close'"], Sources.Problems(e));
    }

    internal static string Without(string line, int field)
    {
        List<string> fields = [.. line.Split(',')];
        fields.RemoveAt(field);
        return string.Join(',', fields);
    }

    internal static string Replace(string line, int field, string value)
    {
        string[] fields = line.Split(',');
        fields[field] = value;
        return string.Join(',', fields);
    }
}
