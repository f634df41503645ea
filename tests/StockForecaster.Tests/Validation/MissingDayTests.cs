using Sluice.Definitions;
using StockForecaster.Calendar;
using StockForecaster.Data;
using StockForecaster.Validation;

namespace StockForecaster.Tests.Validation;

public class MissingDayTests
{
    private static readonly DateOnly Wednesday = new(2015, 3, 4);
    private static readonly DateOnly Thursday = new(2015, 3, 5);

    [Fact]
    public void Validate_MissingTradingDays_FailNamingTheDates()
    {
        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Gappy()));

        Assert.Equal("Validation failed: 1 problem in 1 of 1 series:\n  SPX: data/spx.csv: missing 2 trading days: 2015-03-04, 2015-03-05", e.Message);
    }

    [Fact]
    public void Validate_MissingTradingDaysUnderWarn_AreAFinding()
    {
        CleanPrices clean = Sources.Validate(Gappy(), Sources.Contract(missingDays: "warn"));

        Assert.Equal([new Finding(Severity.Warning, "missing-days", "SPX", "data/spx.csv: missing 2 trading days: 2015-03-04, 2015-03-05")], clean.Findings);
        Assert.Equal(28, clean.Series[0].Dates.Length);
        Assert.Empty(clean.Series[0].FilledDates);
        Assert.Equal("warn", clean.MissingDayPolicy);
    }

    [Fact]
    public void Validate_FillForward_InsertsThePreviousCloseWithZeroVolume()
    {
        CleanPrices clean = Sources.Validate(Gappy(), Sources.Contract(missingDays: "fill-forward"));

        PriceSeries series = clean.Series[0];
        Assert.Equal([new Finding(Severity.Warning, "missing-days", "SPX", "data/spx.csv: filled 2 trading days forward from the previous close, with volume 0: 2015-03-04, 2015-03-05")], clean.Findings);
        Assert.Equal([Wednesday, Thursday], series.FilledDates);
        Assert.Equal(30, series.Dates.Length);
        Assert.Equal([Sources.Start, Sources.Start.AddDays(1), Wednesday, Thursday, Sources.Start.AddDays(4)], series.Dates[..5]);
        double tuesdayClose = series.Close[1];
        foreach (int i in (int[])[2, 3])
        {
            Assert.Equal([tuesdayClose, tuesdayClose, tuesdayClose, tuesdayClose, series.AdjClose[1]], [series.Open[i], series.High[i], series.Low[i], series.Close[i], series.AdjClose[i]]);
            Assert.Equal(0, series.Volume[i]);
        }

        Assert.Equal("fill-forward", clean.MissingDayPolicy);
    }

    [Fact]
    public void Validate_FilledDays_DoNotCountAsStale()
    {
        List<string> lines = Sources.Lines(30);
        lines.RemoveRange(5, 5);

        CleanPrices clean = Sources.Validate(Sources.Series(lines), Sources.Contract(missingDays: "fill-forward", staleDays: 3));

        Assert.Equal("missing-days", Assert.Single(clean.Findings).Code);
    }

    [Fact]
    public void Validate_HolidayWithoutARow_IsNotMissing()
    {
        var calendar = new TestCalendar(new Dictionary<DateOnly, string> { [Wednesday] = "Founders' Day", [Thursday] = "Founders' Day, observed" });

        CleanPrices clean = Sources.Validate(Gappy(), calendar: calendar);

        Assert.Empty(clean.Findings);
        Assert.Equal(28, clean.Series[0].Dates.Length);
    }

    [Fact]
    public void Validate_RowOnADayTheExchangeWasClosed_IsItsOwnWarningAndNeverMissing()
    {
        var calendar = new TestCalendar(new Dictionary<DateOnly, string> { [Wednesday] = "Founders' Day" });
        List<string> lines = Sources.Lines(30);
        lines.Insert(5, "2015-03-07,101,102,100,101,101,5");

        CleanPrices clean = Sources.Validate(Sources.Series(lines), Sources.Contract(missingDays: "warn"), calendar);

        Assert.Equal(
            [new Finding(Severity.Warning, "non-trading-day", "SPX", "data/spx.csv: 2 dates are days the exchange was closed: 2015-03-04 (Founders' Day, line 4), 2015-03-07 (weekend, line 7); kept")],
            clean.Findings);
        Assert.Contains(new DateOnly(2015, 3, 7), clean.Series[0].Dates);
    }

    [Fact]
    public void Validate_ManyMissingDays_ListsTwentyAndCountsTheRest()
    {
        List<string> lines = Sources.Lines(60);
        lines.RemoveRange(1, 25);

        var e = Assert.Throws<DataValidationException>(() => Sources.Validate(Sources.Series(lines)));

        string problem = Assert.Single(Sources.Problems(e));
        Assert.StartsWith("SPX: data/spx.csv: missing 25 trading days: 2015-03-03, 2015-03-04, ", problem, StringComparison.Ordinal);
        Assert.EndsWith(", 2015-03-30, and 5 more", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DatesBeyondTheCalendar_AreAProblemOfTheSeries()
    {
        var e = Assert.Throws<DataValidationException>(() => Validator.Run(new RawPrices([Sources.Series(Sources.Lines(30))]), Sources.Contract(), new ShortCalendar()));

        Assert.Equal(["SPX: data/spx.csv: the trading calendar cannot list trading days from 2015-03-02 to 2015-04-10: covers 2016 onwards only (Parameter 'first')"], Sources.Problems(e));
    }

    // Thirty weekdays from Monday 2015-03-02 without Wednesday and Thursday of the first week.
    private static RawSeries Gappy()
    {
        List<string> lines = Sources.Lines(30);
        lines.RemoveRange(2, 2);
        return Sources.Series(lines);
    }

    private sealed class ShortCalendar : ITradingCalendar
    {
        public bool IsTradingDay(DateOnly date) => true;

        public string? ClosureReason(DateOnly date) => null;

        public IReadOnlyList<DateOnly> TradingDays(DateOnly first, DateOnly last) =>
            first.Year < 2016 ? throw new ArgumentOutOfRangeException(nameof(first), "covers 2016 onwards only") : [];

        public DateOnly NextTradingDay(DateOnly date) => date.AddDays(1);
    }
}
