using System.Globalization;
using System.Text;

namespace StockForecaster.Reporting;

/// <summary>Formats every number, date and message the reports print, always in the invariant culture so equal inputs give equal bytes on any machine.</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Formats a date as ISO 8601 (yyyy-MM-dd).</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>Formats a date range as "first .. last".</summary>
    public static string Range(DateOnly first, DateOnly last) => $"{Date(first)} .. {Date(last)}";

    /// <summary>Formats a whole number without group separators.</summary>
    public static string Count(long value) => value.ToString("D", Invariant);

    /// <summary>Formats a price with two decimals.</summary>
    public static string Price(double value) => Fixed(value, "F2");

    /// <summary>Formats a small quantity such as a log-return error or coefficient with six decimals.</summary>
    public static string Small(double value) => Fixed(value, "F6");

    /// <summary>Formats a value whose sign matters, such as a coefficient, with an explicit sign and six decimals so a column of them lines up.</summary>
    public static string Signed(double value)
    {
        string text = Small(value);
        return text[0] is '-' or 'n' ? text : "+" + text;
    }

    /// <summary>Formats a ratio such as Theil's U with four decimals.</summary>
    public static string Ratio(double value) => Fixed(value, "F4");

    /// <summary>Formats an information criterion value with two decimals.</summary>
    public static string Criterion(double value) => Fixed(value, "F2");

    /// <summary>Formats a share (0.524) as a percentage ("52.4 %").</summary>
    public static string Percent(double share) => double.IsFinite(share) ? (share * 100).ToString("F1", Invariant) + " %" : "n/a";

    /// <summary>Formats an interval coverage (0.95) as a percentage without a needless decimal ("95 %", but "97.5 %").</summary>
    public static string Level(double level) => Percent(level).Replace(".0 %", " %", StringComparison.Ordinal);

    /// <summary>Formats a relative change (0.0123) as a signed percentage ("+1.23 %").</summary>
    public static string Change(double relative) => double.IsFinite(relative) ? (relative * 100).ToString("+0.00;-0.00;0.00", Invariant) + " %" : "n/a";

    /// <summary>Formats a count with its noun, singular or plural ("1 warning", "3 warnings").</summary>
    public static string Plural(long count, string singular, string plural) => $"{Count(count)} {(count == 1 ? singular : plural)}";

    /// <summary>Returns the text with control characters (line breaks, tabs, escapes) replaced by spaces and broken surrogates by U+FFFD, so one value stays on one table line and is valid in any markup.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsCleaning(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return true;
            }
        }

        return false;
    }

    private static string Fixed(double value, string format)
    {
        if (!double.IsFinite(value))
        {
            return "n/a";
        }

        // A tiny negative value rounds to "-0.000000", which reads as a sign that means something.
        string text = value.ToString(format, Invariant);
        return text[0] == '-' && text.AsSpan(1).Trim("0.").IsEmpty ? text[1..] : text;
    }
}
