using StockForecaster.Calendar;

namespace StockForecaster.Tests;

/// <summary>A test-only exchange: open on weekdays except the given holidays (none by default), so tests need not know the NYSE rules.</summary>
internal sealed class TestCalendar(IReadOnlyDictionary<DateOnly, string> holidays) : ITradingCalendar
{
    public TestCalendar()
        : this(new Dictionary<DateOnly, string>())
    {
    }

    public bool IsTradingDay(DateOnly date) => ClosureReason(date) is null;

    public string? ClosureReason(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? "weekend"
        : holidays.TryGetValue(date, out string? name) ? name
        : null;

    public IReadOnlyList<DateOnly> TradingDays(DateOnly first, DateOnly last)
    {
        var days = new List<DateOnly>();
        for (DateOnly day = first; day <= last; day = day.AddDays(1))
        {
            if (IsTradingDay(day))
            {
                days.Add(day);
            }
        }

        return days;
    }

    public DateOnly NextTradingDay(DateOnly date)
    {
        DateOnly day = date.AddDays(1);
        while (!IsTradingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }
}
