using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Validation;

namespace StockForecaster.Tests.Validation;

public class BundledDataTests
{
    private static readonly string Forecaster = Path.Combine(AppContext.BaseDirectory, "forecaster");

    [Fact]
    public void Validate_BundledSp500_HasNoErrorsAndOnlyTheExpectedWarnings()
    {
        // Weekends plus the 9/11 closure: every other exchange holiday shows up as a missing day, so that policy is relaxed to warn here.
        var calendar = new TestCalendar(new Dictionary<DateOnly, string>
        {
            [new DateOnly(2001, 9, 11)] = "September 11 attacks",
            [new DateOnly(2001, 9, 12)] = "September 11 attacks",
            [new DateOnly(2001, 9, 13)] = "September 11 attacks",
            [new DateOnly(2001, 9, 14)] = "September 11 attacks",
        });
        string json = File.ReadAllText(Path.Combine(Forecaster, "config", "contract.json")).Replace("\"missingDays\": \"fail\"", "\"missingDays\": \"warn\"", StringComparison.Ordinal);
        DataContract contract = DataContract.Parse(json, "config/contract.json");

        CleanPrices clean = Validator.Run(new RawPrices([Sp500()]), contract, calendar);

        PriceSeries series = Assert.Single(clean.Series);
        Assert.Equal(5105, series.Dates.Length); // PROVENANCE.md says 5,104; the file holds 5,105 data lines.
        Assert.Equal((new DateOnly(2000, 1, 3), new DateOnly(2020, 4, 17)), (series.Dates[0], series.Dates[^1]));
        Assert.Equal(1455.219971, series.Close[0]);
        Assert.Equal(931800000, series.Volume[0]);
        Assert.Equal(["missing-days", "outlier", "outlier", "outlier"], clean.Findings.Select(f => f.Code).Order());
        Assert.Equal(
            ["data/sp500-2000.csv:2209 (2008-10-13)", "data/sp500-2000.csv:2220 (2008-10-28)", "data/sp500-2000.csv:5083 (2020-03-16)"],
            clean.Findings.Where(f => f.Code == "outlier").Select(f => f.Message[..f.Message.IndexOf(':', 20)]));
        string missing = clean.Findings.Single(f => f.Code == "missing-days").Message;
        Assert.Contains("2000-01-17", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("2001-09-1", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BundledSp500UnderTheBundledContract_FailsOnlyOnDaysTheTestCalendarCallsOpen()
    {
        DataContract contract = DataContract.Load(Path.Combine(Forecaster, "config", "contract.json"), "config/contract.json");

        var e = Assert.Throws<DataValidationException>(() => Validator.Run(new RawPrices([Sp500()]), contract, new TestCalendar()));

        Assert.StartsWith("SP500: data/sp500-2000.csv: missing ", Assert.Single(Sources.Problems(e)), StringComparison.Ordinal);
    }

    internal static RawSeries Sp500()
    {
        string[] file = File.ReadAllLines(Path.Combine(Forecaster, "data", "sp500-2000.csv"));
        return new RawSeries(
            "SP500",
            new SourceInfo("csv", "data/sp500-2000.csv", "unused", 0),
            file[0].Split(','),
            file[1..],
            [.. Enumerable.Range(2, file.Length - 1)]);
    }
}
