using System.Globalization;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Puts rows in date order and resolves repeated dates: an exact repeat is dropped with a warning, a conflicting one is an error.</summary>
/// <remarks>
/// An exact repeat (same date and values) is the usual result of overlapping downloads appended together: harmless, so it is dropped.
/// A date with two different rows has no right answer a program can pick, so a person must.
/// </remarks>
internal static class RowOrder
{
    /// <summary>Returns the rows sorted by date (stable, by source line) with exact repeats dropped; conflicts go to <paramref name="problems"/>.</summary>
    public static PriceRows Normalize(PriceRows rows, string ticker, string location, ProblemList problems, List<Finding> findings)
    {
        PriceRows sorted = Sort(rows, ticker, location, findings);
        int count = sorted.Count;
        bool repeats = false;
        for (int i = 1; i < count && !repeats; i++)
        {
            repeats = sorted.Dates[i] == sorted.Dates[i - 1];
        }

        if (!repeats)
        {
            return sorted;
        }

        var kept = new PriceRows(count);
        var dropped = new List<string>();
        int first = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == 0 || sorted.Dates[i] != sorted.Dates[first])
            {
                first = i;
                kept.AddFrom(sorted, i);
            }
            else if (sorted.SameValues(i, first))
            {
                dropped.Add(string.Create(CultureInfo.InvariantCulture, $"{Listing.Iso(sorted.Dates[i])} (line {sorted.Lines[i]} repeats line {sorted.Lines[first]})"));
            }
            else
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{location}:{sorted.Lines[i]} ({Listing.Iso(sorted.Dates[i])}): the date is also on line {sorted.Lines[first]}, with different values: keep one of them"));
            }
        }

        if (dropped.Count > 0)
        {
            findings.Add(new Finding(Severity.Warning, "duplicate-date", ticker, $"{location}: dropped {Listing.Count(dropped.Count, "row that repeats", "rows that repeat")} an earlier row exactly: {Listing.Join(dropped)}"));
        }

        return kept;
    }

    private static PriceRows Sort(PriceRows rows, string ticker, string location, List<Finding> findings)
    {
        int count = rows.Count;
        int firstOut = -1;
        for (int i = 1; i < count && firstOut < 0; i++)
        {
            firstOut = rows.Dates[i] < rows.Dates[i - 1] ? i : -1;
        }

        if (firstOut < 0)
        {
            return rows;
        }

        // Day number then original index in one key: a plain sort of longs is then stable.
        var keys = new long[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = ((long)rows.Dates[i].DayNumber << 32) | (uint)i;
        }

        Array.Sort(keys);
        var sorted = new PriceRows(count);
        foreach (long key in keys)
        {
            sorted.AddFrom(rows, (int)(key & uint.MaxValue));
        }

        findings.Add(new Finding(Severity.Warning, "unsorted", ticker, string.Create(
            CultureInfo.InvariantCulture,
            $"{location}: dates are not in ascending order (line {rows.Lines[firstOut]} has {Listing.Iso(rows.Dates[firstOut])}, after {Listing.Iso(rows.Dates[firstOut - 1])} on line {rows.Lines[firstOut - 1]}): sorted by date")));
        return sorted;
    }
}
