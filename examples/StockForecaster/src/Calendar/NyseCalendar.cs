using System.Globalization;

namespace StockForecaster.Calendar;

/// <summary>The New York Stock Exchange's trading days from 1990 through 2099: weekends, holiday rules and unscheduled closures.</summary>
/// <remarks>
/// Every day of the range is classified once, at construction; afterwards the instance is immutable,
/// safe to share between threads, and answers <see cref="IsTradingDay"/> with two array reads.
/// Years after the latest published NYSE holiday calendar are projected from today's rules.
/// Days with an early close (1 p.m.) are trading days.
/// </remarks>
public sealed class NyseCalendar : ITradingCalendar
{
    /// <summary>The first year the calendar covers.</summary>
    public const int FirstYear = 1990;

    /// <summary>The last year the calendar covers.</summary>
    public const int LastYear = 2099;

    private const string Weekend = "weekend";

    private readonly int _firstDayNumber;
    private readonly int _dayCount;

    // The trading days of the whole range, ascending.
    private readonly DateOnly[] _tradingDays;

    // _tradingDaysBefore[i] counts the trading days before day i of the range (length _dayCount + 1),
    // so day i is a trading day exactly when the count steps up from i to i + 1, and the trading days
    // of any span are one slice of _tradingDays.
    private readonly int[] _tradingDaysBefore;

    private readonly Dictionary<DateOnly, string> _closures;

    /// <summary>Gets one shared instance, built on first use (the calendar never changes after construction).</summary>
    public static NyseCalendar Shared => Lazy.Instance;

    /// <summary>Initializes the calendar, classifying every day from 1990 through 2099.</summary>
    public NyseCalendar()
    {
        var first = new DateOnly(FirstYear, 1, 1);
        _firstDayNumber = first.DayNumber;
        _dayCount = new DateOnly(LastYear, 12, 31).DayNumber - _firstDayNumber + 1;

        _closures = new Dictionary<DateOnly, string>((LastYear - FirstYear + 1) * 11);
        for (int year = FirstYear; year <= LastYear; year++)
        {
            foreach (Closure closure in NyseHolidays.InYear(year))
            {
                if (IsWeekend(closure.Date) || !_closures.TryAdd(closure.Date, closure.Reason))
                {
                    // Only an error in the holiday rules or the closure table can get here.
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"NYSE closure '{closure.Reason}' on {closure.Date:yyyy-MM-dd} falls on a weekend or on another closure; fix the rules or the table."));
                }
            }
        }

        var closed = new bool[_dayCount];
        foreach (DateOnly date in _closures.Keys)
        {
            closed[date.DayNumber - _firstDayNumber] = true;
        }

        _tradingDaysBefore = new int[_dayCount + 1];
        var tradingDays = new List<DateOnly>(_dayCount * 5 / 7);
        for (int i = 0; i < _dayCount; i++)
        {
            DateOnly date = DateOnly.FromDayNumber(_firstDayNumber + i);
            if (!closed[i] && !IsWeekend(date))
            {
                tradingDays.Add(date);
            }

            _tradingDaysBefore[i + 1] = tradingDays.Count;
        }

        _tradingDays = [.. tradingDays];
    }

    /// <summary>Gets the first date the calendar answers for.</summary>
    public DateOnly FirstDate => DateOnly.FromDayNumber(_firstDayNumber);

    /// <summary>Gets the last date the calendar answers for.</summary>
    public DateOnly LastDate => DateOnly.FromDayNumber(_firstDayNumber + _dayCount - 1);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is outside 1990..2099.</exception>
    public bool IsTradingDay(DateOnly date)
    {
        int i = IndexOf(date, nameof(date));
        return _tradingDaysBefore[i + 1] != _tradingDaysBefore[i];
    }

    /// <inheritdoc/>
    /// <remarks>A holiday moved off a weekend is named with " (observed)", for example "Independence Day (observed)"; a Saturday or Sunday is always "weekend".</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is outside 1990..2099.</exception>
    public string? ClosureReason(DateOnly date)
    {
        if (IsTradingDay(date))
        {
            return null;
        }

        return IsWeekend(date) ? Weekend : _closures[date];
    }

    /// <inheritdoc/>
    /// <remarks>Returns an empty list when <paramref name="first"/> is after <paramref name="last"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="first"/> or <paramref name="last"/> is outside 1990..2099.</exception>
    public IReadOnlyList<DateOnly> TradingDays(DateOnly first, DateOnly last)
    {
        int from = IndexOf(first, nameof(first));
        int to = IndexOf(last, nameof(last));
        if (from > to)
        {
            return [];
        }

        int start = _tradingDaysBefore[from];
        return _tradingDays.AsSpan(start, _tradingDaysBefore[to + 1] - start).ToArray();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is outside 1990..2099, or no trading day follows it within that range.</exception>
    public DateOnly NextTradingDay(DateOnly date)
    {
        int next = _tradingDaysBefore[IndexOf(date, nameof(date)) + 1];
        if (next == _tradingDays.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, string.Create(CultureInfo.InvariantCulture,
                $"No NYSE trading day after {date:yyyy-MM-dd} lies within the calendar, which ends {LastDate:yyyy-MM-dd}."));
        }

        return _tradingDays[next];
    }

    private static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private int IndexOf(DateOnly date, string parameter)
    {
        int i = date.DayNumber - _firstDayNumber;
        if ((uint)i >= (uint)_dayCount)
        {
            throw new ArgumentOutOfRangeException(parameter, date, string.Create(CultureInfo.InvariantCulture,
                $"The NYSE calendar covers {FirstYear}-01-01 to {LastYear}-12-31; {date:yyyy-MM-dd} is outside it. Pass a date within that range."));
        }

        return i;
    }

    private static class Lazy
    {
        public static readonly NyseCalendar Instance = new();
    }
}
