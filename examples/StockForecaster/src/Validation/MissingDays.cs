using System.Globalization;
using StockForecaster.Calendar;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Compares a series' dates with the exchange calendar: trading days without a row are missing; rows on days the exchange was closed are flagged.</summary>
internal static class MissingDays
{
    /// <summary>Applies the contract's missing-day policy between the first and last date and returns the rows, filled forward when the policy says so.</summary>
    public static PriceRows Apply(PriceRows rows, DataContract contract, ITradingCalendar calendar, string ticker, string location, ProblemList problems, List<Finding> findings, out DateOnly[] filled)
    {
        filled = [];
        if (rows.Count == 0)
        {
            return rows;
        }

        IReadOnlyList<DateOnly> open;
        try
        {
            open = calendar.TradingDays(rows.Dates[0], rows.Dates[rows.Count - 1]);
        }
        catch (ArgumentException e)
        {
            // A calendar that does not cover the data's years cannot vouch for its days: that is this series' problem, not a crash.
            problems.Add($"{location}: the trading calendar cannot list trading days from {Listing.Iso(rows.Dates[0])} to {Listing.Iso(rows.Dates[rows.Count - 1])}: {e.Message}");
            return rows;
        }

        var missing = new List<DateOnly>();
        var closed = new List<string>();
        int day = 0;
        for (int i = 0; i < rows.Count;)
        {
            DateOnly date = rows.Dates[i];
            if (day < open.Count && open[day] < date)
            {
                missing.Add(open[day++]);
            }
            else if (day < open.Count && open[day] == date)
            {
                day++;
                i++;
            }
            else
            {
                // The calendar skipped this date: the exchange was closed, so the row is suspect, and the day can never be missing.
                closed.Add(string.Create(CultureInfo.InvariantCulture, $"{Listing.Iso(date)} ({calendar.ClosureReason(date) ?? "closed"}, line {rows.Lines[i]})"));
                i++;
            }
        }

        if (closed.Count > 0)
        {
            findings.Add(new Finding(Severity.Warning, "non-trading-day", ticker, $"{location}: {Listing.Count(closed.Count, "date is a day", "dates are days")} the exchange was closed: {Listing.Join(closed)}; kept"));
        }

        if (missing.Count == 0)
        {
            return rows;
        }

        string count = Listing.Count(missing.Count, "trading day", "trading days");
        string dates = Listing.Join(missing);
        switch (contract.MissingDays)
        {
            case MissingDayPolicy.Fail:
                problems.Add($"{location}: missing {count}: {dates}");
                return rows;
            case MissingDayPolicy.Warn:
                findings.Add(new Finding(Severity.Warning, "missing-days", ticker, $"{location}: missing {count}: {dates}"));
                return rows;
            default:
                findings.Add(new Finding(Severity.Warning, "missing-days", ticker, $"{location}: filled {count} forward from the previous close, with volume 0: {dates}"));
                filled = [.. missing];
                return FillForward(rows, missing);
        }
    }

    // Every missing day lies after the first row, so a previous close always exists.
    private static PriceRows FillForward(PriceRows rows, List<DateOnly> missing)
    {
        var result = new PriceRows(rows.Count + missing.Count);
        int next = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            while (next < missing.Count && missing[next] < rows.Dates[i])
            {
                double close = result.Close[result.Count - 1];
                result.Add(missing[next++], close, close, close, close, result.AdjClose[result.Count - 1], 0, 0);
            }

            result.AddFrom(rows, i);
        }

        return result;
    }
}
