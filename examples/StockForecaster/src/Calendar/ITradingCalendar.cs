namespace StockForecaster.Calendar;

/// <summary>An exchange's trading days.</summary>
public interface ITradingCalendar
{
    /// <summary>Returns whether the exchange held a full or partial trading session on <paramref name="date"/>.</summary>
    bool IsTradingDay(DateOnly date);

    /// <summary>Returns why the exchange was closed on <paramref name="date"/> (for example "weekend", "Good Friday", "Hurricane Sandy"), or null when it was open.</summary>
    string? ClosureReason(DateOnly date);

    /// <summary>Returns the trading days from <paramref name="first"/> to <paramref name="last"/>, both included, ascending.</summary>
    IReadOnlyList<DateOnly> TradingDays(DateOnly first, DateOnly last);

    /// <summary>Returns the first trading day strictly after <paramref name="date"/>.</summary>
    DateOnly NextTradingDay(DateOnly date);
}
