namespace StockForecaster.Calendar;

/// <summary>A weekday on which the exchange held no session, and why.</summary>
/// <param name="Date">The closed weekday.</param>
/// <param name="Reason">The holiday or event, as <see cref="ITradingCalendar.ClosureReason"/> reports it.</param>
internal readonly record struct Closure(DateOnly Date, string Reason);
