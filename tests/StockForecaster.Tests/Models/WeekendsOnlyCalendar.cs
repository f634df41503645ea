using StockForecaster.Calendar;

namespace StockForecaster.Tests.Models;

/// <summary>A calendar closed on weekends only: enough to date forecasts without the NYSE holiday rules.</summary>
internal sealed class WeekendsOnlyCalendar : ITradingCalendar
{
    public bool IsTradingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public string? ClosureReason(DateOnly date) => IsTradingDay(date) ? null : "weekend";

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
        DateOnly next = date.AddDays(1);
        while (!IsTradingDay(next))
        {
            next = next.AddDays(1);
        }

        return next;
    }
}
