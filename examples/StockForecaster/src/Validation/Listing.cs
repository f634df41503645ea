using System.Globalization;
using System.Text;

namespace StockForecaster.Validation;

/// <summary>Writes lists of dates or items for messages, capped so a long gap does not bury the message.</summary>
internal static class Listing
{
    /// <summary>How many items a message lists before "and N more".</summary>
    public const int Limit = 20;

    /// <summary>Returns up to <see cref="Limit"/> items joined by ", ", then "and N more".</summary>
    public static string Join(IReadOnlyList<string> items)
    {
        var text = new StringBuilder();
        for (int i = 0; i < items.Count && i < Limit; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(items[i]);
        }

        if (items.Count > Limit)
        {
            text.Append(CultureInfo.InvariantCulture, $", and {items.Count - Limit} more");
        }

        return text.ToString();
    }

    /// <summary>Returns the dates as ISO text, capped the same way.</summary>
    public static string Join(IReadOnlyList<DateOnly> dates)
    {
        var items = new List<string>(Math.Min(dates.Count, Limit));
        for (int i = 0; i < dates.Count && i < Limit; i++)
        {
            items.Add(Iso(dates[i]));
        }

        string listed = Join(items);
        return dates.Count > Limit ? listed + string.Create(CultureInfo.InvariantCulture, $", and {dates.Count - Limit} more") : listed;
    }

    /// <summary>Returns the date as <c>yyyy-MM-dd</c>, whatever the source's format.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Returns "1 day" or "2 days" style counts.</summary>
    public static string Count(int count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");
}
