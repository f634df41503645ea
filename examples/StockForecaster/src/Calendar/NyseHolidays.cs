namespace StockForecaster.Calendar;

/// <summary>The NYSE's full-day holiday rules, as in force from 1990 on.</summary>
internal static class NyseHolidays
{
    /// <summary>Returns the weekdays of <paramref name="year"/> on which the NYSE is closed for a holiday, ascending.</summary>
    internal static List<Closure> InYear(int year)
    {
        var closures = new List<Closure>(12);

        // A Sunday New Year's Day moves to Monday, but a Saturday one is not moved back: NYSE Rule 7.2
        // keeps Friday December 31 open because it ends the yearly accounting period.
        var newYear = new DateOnly(year, 1, 1);
        if (newYear.DayOfWeek != DayOfWeek.Saturday)
        {
            closures.Add(Observed(newYear, "New Year's Day"));
        }

        // The NYSE first closed for Martin Luther King Jr. Day in 1998, twelve years after the federal holiday.
        if (year >= 1998)
        {
            closures.Add(new(NthWeekday(year, 1, DayOfWeek.Monday, 3), "Martin Luther King Jr. Day"));
        }

        closures.Add(new(NthWeekday(year, 2, DayOfWeek.Monday, 3), "Washington's Birthday"));
        closures.Add(new(Computus.EasterSunday(year).AddDays(-2), "Good Friday"));
        closures.Add(new(LastWeekday(year, 5, DayOfWeek.Monday), "Memorial Day"));

        // Juneteenth became a federal holiday in June 2021; the NYSE first closed for it in 2022.
        if (year >= 2022)
        {
            closures.Add(Observed(new DateOnly(year, 6, 19), "Juneteenth"));
        }

        closures.Add(Observed(new DateOnly(year, 7, 4), "Independence Day"));
        closures.Add(new(NthWeekday(year, 9, DayOfWeek.Monday, 1), "Labor Day"));
        closures.Add(new(NthWeekday(year, 11, DayOfWeek.Thursday, 4), "Thanksgiving Day"));
        closures.Add(Observed(new DateOnly(year, 12, 25), "Christmas Day"));

        foreach (Closure special in NyseSpecialClosures.All)
        {
            if (special.Date.Year == year)
            {
                closures.Add(special);
            }
        }

        closures.Sort((a, b) => a.Date.CompareTo(b.Date));
        return closures;
    }

    // A holiday on a Saturday is observed on the Friday before, one on a Sunday on the Monday after.
    private static Closure Observed(DateOnly holiday, string name) => holiday.DayOfWeek switch
    {
        DayOfWeek.Saturday => new(holiday.AddDays(-1), name + " (observed)"),
        DayOfWeek.Sunday => new(holiday.AddDays(1), name + " (observed)"),
        _ => new(holiday, name),
    };

    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        int toDay = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(toDay + (7 * (n - 1)));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        int back = ((int)last.DayOfWeek - (int)day + 7) % 7;
        return last.AddDays(-back);
    }
}
