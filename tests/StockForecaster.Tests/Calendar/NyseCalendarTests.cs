using System.Globalization;
using StockForecaster.Calendar;

namespace StockForecaster.Tests.Calendar;

/// <summary>The NYSE calendar against the exchange's published closures and the bundled real S&amp;P 500 trading days.</summary>
public sealed class NyseCalendarTests
{
    private static readonly NyseCalendar Nyse = new();

    // Expected lists: the weekday closures the NYSE published for each year (its yearly holiday
    // calendars and closure announcements), written out in full.
    [Fact]
    public void ClosedWeekdays_1994_NoNewYearHolidayAndNixonMourning()
    {
        // Jan 1 1994 was a Saturday: no holiday, Friday Dec 31 1993 traded.
        AssertClosedWeekdays(1994,
            "1994-02-21", "1994-04-01", "1994-04-27", "1994-05-30", "1994-07-04", "1994-09-05", "1994-11-24", "1994-12-26");
        Assert.True(Nyse.IsTradingDay(new DateOnly(1993, 12, 31)));
    }

    [Fact]
    public void ClosedWeekdays_2001_IncludeSeptember11ToSeptember14()
    {
        AssertClosedWeekdays(2001,
            "2001-01-01", "2001-01-15", "2001-02-19", "2001-04-13", "2001-05-28", "2001-07-04", "2001-09-03",
            "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2001-11-22", "2001-12-25");
    }

    [Fact]
    public void ClosedWeekdays_2004_IncludeReaganMourningAndChristmasObservedOnFriday()
    {
        // Jan 1 2005 was a Saturday: Dec 31 2004 traded.
        AssertClosedWeekdays(2004,
            "2004-01-01", "2004-01-19", "2004-02-16", "2004-04-09", "2004-05-31", "2004-06-11", "2004-07-05",
            "2004-09-06", "2004-11-25", "2004-12-24");
    }

    [Fact]
    public void ClosedWeekdays_2007_IncludeFordMourningTheDayAfterNewYear()
    {
        AssertClosedWeekdays(2007,
            "2007-01-01", "2007-01-02", "2007-01-15", "2007-02-19", "2007-04-06", "2007-05-28", "2007-07-04",
            "2007-09-03", "2007-11-22", "2007-12-25");
    }

    [Fact]
    public void ClosedWeekdays_2012_IncludeHurricaneSandyAndNewYearObservedOnMonday()
    {
        AssertClosedWeekdays(2012,
            "2012-01-02", "2012-01-16", "2012-02-20", "2012-04-06", "2012-05-28", "2012-07-04", "2012-09-03",
            "2012-10-29", "2012-10-30", "2012-11-22", "2012-12-25");
    }

    [Fact]
    public void ClosedWeekdays_2018_IncludeGeorgeHWBushMourning()
    {
        AssertClosedWeekdays(2018,
            "2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04", "2018-09-03",
            "2018-11-22", "2018-12-05", "2018-12-25");
    }

    [Fact]
    public void ClosedWeekdays_2021_NoJuneteenthYetAndDecember31Open()
    {
        // Jan 1 2022 was a Saturday: Dec 31 2021 traded. Juneteenth became a federal holiday on
        // June 17 2021, too late for the NYSE to close on Friday June 18.
        AssertClosedWeekdays(2021,
            "2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06",
            "2021-11-25", "2021-12-24");
        Assert.True(Nyse.IsTradingDay(new DateOnly(2021, 12, 31)));
        Assert.True(Nyse.IsTradingDay(new DateOnly(2021, 6, 18)));
    }

    [Fact]
    public void ClosedWeekdays_2022_FirstJuneteenthObservedOnMonday()
    {
        AssertClosedWeekdays(2022,
            "2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05",
            "2022-11-24", "2022-12-26");
    }

    [Fact]
    public void ClosedWeekdays_2025_IncludeCarterMourning()
    {
        AssertClosedWeekdays(2025,
            "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19",
            "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25");
    }

    [Fact]
    public void ClosedWeekdays_2027_MatchTheCalendarPublishedInAdvance()
    {
        // NYSE Group announced 2027 in November 2024: Juneteenth, Independence Day and Christmas
        // all observed; Jan 1 2028 is a Saturday, so Dec 31 2027 trades.
        AssertClosedWeekdays(2027,
            "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05",
            "2027-09-06", "2027-11-25", "2027-12-24");
        Assert.True(Nyse.IsTradingDay(new DateOnly(2027, 12, 31)));
    }

    [Theory]
    [InlineData(1993)]
    [InlineData(1999)]
    [InlineData(2004)]
    [InlineData(2010)]
    [InlineData(2021)]
    [InlineData(2032)]
    [InlineData(2038)]
    public void December31_BeforeASaturdayNewYear_IsATradingDay(int year)
    {
        Assert.Equal(DayOfWeek.Saturday, new DateOnly(year + 1, 1, 1).DayOfWeek);
        Assert.True(Nyse.IsTradingDay(new DateOnly(year, 12, 31)));
    }

    [Theory]
    [InlineData("1990-04-13")]
    [InlineData("2000-04-21")]
    [InlineData("2008-03-21")] // Easter on March 23, nearly the earliest possible
    [InlineData("2011-04-22")]
    [InlineData("2019-04-19")]
    [InlineData("2024-03-29")]
    [InlineData("2035-03-23")]
    [InlineData("2038-04-23")] // Easter on April 25, the latest possible
    public void GoodFriday_IsClosedTwoDaysBeforeEaster(string date)
    {
        DateOnly goodFriday = Day(date);
        Assert.Equal("Good Friday", Nyse.ClosureReason(goodFriday));
        Assert.Equal(goodFriday.AddDays(2), Computus.EasterSunday(goodFriday.Year));
    }

    [Theory]
    [InlineData(2001, 248)]
    [InlineData(2012, 250)]
    [InlineData(2019, 252)]
    [InlineData(2020, 253)]
    [InlineData(2021, 252)]
    [InlineData(2022, 251)]
    [InlineData(2023, 250)]
    [InlineData(2024, 252)]
    public void TradingDays_InAYear_CountAsPublished(int year, int expected)
    {
        Assert.Equal(expected, Nyse.TradingDays(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)).Count);
    }

    [Theory]
    [InlineData("2023-06-17", "weekend")]
    [InlineData("2023-06-18", "weekend")]
    [InlineData("2020-07-04", "weekend")] // the holiday itself fell on a Saturday
    [InlineData("2020-07-03", "Independence Day (observed)")]
    [InlineData("2023-01-02", "New Year's Day (observed)")]
    [InlineData("2023-06-19", "Juneteenth")]
    [InlineData("2024-11-28", "Thanksgiving Day")]
    [InlineData("2024-05-27", "Memorial Day")]
    [InlineData("2024-09-02", "Labor Day")]
    [InlineData("2024-01-15", "Martin Luther King Jr. Day")]
    [InlineData("2024-02-19", "Washington's Birthday")]
    [InlineData("2024-12-25", "Christmas Day")]
    [InlineData("2012-10-29", "Hurricane Sandy")]
    [InlineData("2001-09-11", "September 11 attacks")]
    [InlineData("2025-01-09", "Day of mourning for President Carter")]
    public void ClosureReason_NamesTheHolidayOrWeekend(string date, string reason)
    {
        Assert.Equal(reason, Nyse.ClosureReason(Day(date)));
        Assert.False(Nyse.IsTradingDay(Day(date)));
    }

    [Theory]
    [InlineData("2024-12-24")] // early close, still a session
    [InlineData("2024-11-29")] // day after Thanksgiving, early close
    [InlineData("1997-01-20")] // MLK Day before the NYSE observed it (from 1998)
    [InlineData("2025-10-13")] // Columbus Day: banks close, the NYSE does not
    [InlineData("2025-11-11")] // Veterans Day likewise
    public void ClosureReason_OnATradingDay_IsNull(string date)
    {
        Assert.Null(Nyse.ClosureReason(Day(date)));
        Assert.True(Nyse.IsTradingDay(Day(date)));
    }

    [Theory]
    [InlineData("2001-09-10", "2001-09-17")]
    [InlineData("2012-10-26", "2012-10-31")]
    [InlineData("2024-11-27", "2024-11-29")]
    [InlineData("2024-12-24", "2024-12-26")]
    [InlineData("2023-12-29", "2024-01-02")]
    [InlineData("2023-06-17", "2023-06-20")] // from a Saturday, over Sunday and Juneteenth
    public void NextTradingDay_SkipsWeekendsAndClosures(string date, string next)
    {
        Assert.Equal(Day(next), Nyse.NextTradingDay(Day(date)));
    }

    [Fact]
    public void TradingDays_OverThirtyYears_AreExactlyTheDaysIsTradingDayAccepts()
    {
        var first = new DateOnly(1995, 1, 1);
        var last = new DateOnly(2024, 12, 31);
        var expected = new List<DateOnly>();
        for (DateOnly d = first; d <= last; d = d.AddDays(1))
        {
            if (Nyse.IsTradingDay(d))
            {
                expected.Add(d);
            }
        }

        Assert.Equal(expected, Nyse.TradingDays(first, last));
    }

    [Fact]
    public void TradingDays_OnOneClosedDayOrAnEmptySpan_AreEmpty()
    {
        Assert.Empty(Nyse.TradingDays(Day("2012-10-29"), Day("2012-10-30")));
        Assert.Empty(Nyse.TradingDays(Day("2024-01-10"), Day("2024-01-09")));
        Assert.Equal([Day("2024-01-09")], Nyse.TradingDays(Day("2024-01-09"), Day("2024-01-09")));
    }

    [Fact]
    public void EveryYear_HasEachRuleHolidayOnItsOwnWeekday()
    {
        // 9 rule holidays before 1998 (MLK Day), 9 or 10 from then, 10 or 11 from 2022 (Juneteenth);
        // one fewer when New Year's Day is a Saturday. Guards the rules over the whole range.
        for (int year = NyseCalendar.FirstYear; year <= NyseCalendar.LastYear; year++)
        {
            int closedWeekdays = ClosedWeekdays(year).Count(d => !NyseSpecialClosures.All.Any(s => s.Date == d));
            int expected = 8 + (year >= 1998 ? 1 : 0) + (year >= 2022 ? 1 : 0)
                - (new DateOnly(year, 1, 1).DayOfWeek == DayOfWeek.Saturday ? 1 : 0);
            Assert.True(expected == closedWeekdays, $"{year}: {closedWeekdays} holidays on weekdays, expected {expected}");
        }
    }

    [Fact]
    public void DatesOutsideTheRange_AreRejectedWithTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.IsTradingDay(new DateOnly(1989, 12, 29)));
        Assert.Contains("1990-01-01 to 2099-12-31", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.TradingDays(new DateOnly(2020, 1, 1), new DateOnly(2100, 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.NextTradingDay(new DateOnly(2099, 12, 31)));
    }

    [Fact]
    public void BundledSp500_EveryRowIsATradingDayAndNoTradingDayIsMissing()
    {
        // examples/StockForecaster/data/sp500-2000.csv: real S&P 500 sessions 2000-01-03..2020-04-17.
        // Checked both ways, the file and the calendar agree exactly: 5,105 sessions (PROVENANCE.md
        // says 5,104, one short of the rows in the file).
        string path = Path.Combine(AppContext.BaseDirectory, "forecaster", "data", "sp500-2000.csv");
        DateOnly[] dates = File.ReadLines(path).Skip(1)
            .Select(line => DateOnly.ParseExact(line[..line.IndexOf(',', StringComparison.Ordinal)], "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToArray();

        DateOnly[] notTradingDays = dates.Where(d => !Nyse.IsTradingDay(d)).ToArray();
        Assert.True(notTradingDays.Length == 0, "Rows on closed days: " + string.Join(", ", notTradingDays));

        IReadOnlyList<DateOnly> expected = Nyse.TradingDays(dates[0], dates[^1]);
        DateOnly[] missing = expected.Except(dates).ToArray();
        Assert.True(missing.Length == 0, "Trading days missing from the file: " + string.Join(", ", missing));

        Assert.Equal(expected, dates);
        Assert.Equal(5105, dates.Length);
    }

    private static void AssertClosedWeekdays(int year, params string[] expected) =>
        Assert.Equal(expected.Select(Day), ClosedWeekdays(year));

    private static List<DateOnly> ClosedWeekdays(int year)
    {
        var closed = new List<DateOnly>();
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Nyse.IsTradingDay(d))
            {
                closed.Add(d);
            }
        }

        return closed;
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
