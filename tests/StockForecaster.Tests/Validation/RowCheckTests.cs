using System.Globalization;
using Sluice.Definitions;
using StockForecaster.Data;

namespace StockForecaster.Tests.Validation;

public class RowCheckTests
{
    [Fact]
    public void Validate_OhlcViolations_AreErrorsNamingDateAndLine()
    {
        List<string> lines = Sources.Lines(30);
        lines[2] = "2015-03-04,10,12,11,11.5,11.5,100";
        lines[3] = "2015-03-05,0,12,11,13,13,-5";
        lines[4] = "2015-03-06,11,10,12,11,11,100";

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        Assert.Equal(
            [
                "SPX: data/spx.csv:4 (2015-03-04): open 10 is below low 11",
                "SPX: data/spx.csv:5 (2015-03-05): open 0 is not positive; volume -5 is negative; open 0 is below low 11; close 13 is above high 12",
                "SPX: data/spx.csv:6 (2015-03-06): low 12 is above high 10; open 11 is below low 12; open 11 is above high 10; close 11 is below low 12; close 11 is above high 10",
            ],
            Sources.Problems(e));
    }

    [Fact]
    public void Validate_IdenticalDuplicateRow_IsDroppedWithAWarning()
    {
        List<string> lines = Sources.Lines(30);
        lines.Insert(4, lines[3]);

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Equal([new Finding(Severity.Warning, "duplicate-date", "SPX", "data/spx.csv: dropped 1 row that repeats an earlier row exactly: 2015-03-05 (line 6 repeats line 5)")], clean.Findings);
        Assert.Equal(30, clean.Series[0].Dates.Length);
        Assert.Equal(clean.Series[0].Dates.Distinct(), clean.Series[0].Dates);
    }

    [Fact]
    public void Validate_ConflictingDuplicateDate_IsAnError()
    {
        List<string> lines = Sources.Lines(30);
        lines.Insert(4, SchemaDriftTests.Replace(lines[3], 6, "999"));

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        Assert.Equal(["SPX: data/spx.csv:6 (2015-03-05): the date is also on line 5, with different values: keep one of them"], Sources.Problems(e));
    }

    [Fact]
    public void Validate_UnsortedDates_AreSortedWithAWarning()
    {
        List<string> lines = Sources.Lines(30);
        (lines[1], lines[2]) = (lines[2], lines[1]);

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Equal([new Finding(Severity.Warning, "unsorted", "SPX", "data/spx.csv: dates are not in ascending order (line 4 has 2015-03-03, after 2015-03-04 on line 3): sorted by date")], clean.Findings);
        Assert.Equal(clean.Series[0].Dates.Order(), clean.Series[0].Dates);
        Assert.Equal(Close(lines[1]), clean.Series[0].Close[2]);
    }

    [Fact]
    public void Validate_NewestFirstSource_IsSortedWithAWarning()
    {
        List<string> lines = Sources.Lines(30);
        lines.Reverse();

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Equal("unsorted", Assert.Single(clean.Findings).Code);
        Assert.Equal(Close(lines[0]), clean.Series[0].Close[^1]);
    }

    [Fact]
    public void Validate_CloseUnchangedForStaleDays_WarnsOncePerRun()
    {
        List<string> lines = Sources.Lines(30);
        Flatten(lines, 10, 6);
        Flatten(lines, 20, 3);
        string flat = lines[9].Split(',')[4];

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Assert.Equal([new Finding(Severity.Warning, "stale", "SPX", $"data/spx.csv:11-17: close unchanged at {flat} on 7 consecutive days, 2015-03-13 to 2015-03-23")], clean.Findings);
    }

    [Fact]
    public void Validate_ReturnBeyondKSigma_IsFlaggedAndKept()
    {
        List<string> lines = Sources.Lines(200);
        for (int i = 100; i < lines.Count; i++)
        {
            string[] f = lines[i].Split(',');
            for (int p = 1; p <= 5; p++)
            {
                f[p] = (double.Parse(f[p], CultureInfo.InvariantCulture) * 1.3).ToString(CultureInfo.InvariantCulture);
            }

            lines[i] = string.Join(',', f);
        }

        CleanPrices clean = Sources.Validate(Sources.Series(lines));

        Finding outlier = Assert.Single(clean.Findings);
        Assert.Equal((Severity.Warning, "outlier"), (outlier.Severity, outlier.Code));
        Assert.StartsWith("data/spx.csv:102 (2015-07-20): log return 0.2", outlier.Message, StringComparison.Ordinal);
        Assert.EndsWith("from zero, beyond k = 8: flagged, kept", outlier.Message, StringComparison.Ordinal);
        Assert.Equal(200, clean.Series[0].Close.Length);
    }

    [Fact]
    public void Validate_ReturnWithinKSigma_IsNotFlagged()
    {
        CleanPrices clean = Sources.Validate(Sources.Series(Sources.Lines(200)), Sources.Contract(outlierK: 2));

        Assert.Empty(clean.Findings);
    }

    // Makes rows start..start+count-1 repeat the close of the row before them.
    private static void Flatten(List<string> lines, int start, int count)
    {
        string close = lines[start - 1].Split(',')[4];
        for (int i = start; i < start + count; i++)
        {
            string[] f = lines[i].Split(',');
            lines[i] = $"{f[0]},{close},{close},{close},{close},{close},{f[6]}";
        }
    }

    private static double Close(string line) => double.Parse(line.Split(',')[4], CultureInfo.InvariantCulture);
}
