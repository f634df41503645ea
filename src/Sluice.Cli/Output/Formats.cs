using System.Globalization;

namespace Sluice.Cli.Output;

/// <summary>How times and durations read on the console: short, fixed-width where it helps.</summary>
internal static class Formats
{
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : $"{(int)t.TotalHours} h {t.Minutes} min";

    public static string Time(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Clock(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Returns the first line of a message, shortened, for one-line displays.</summary>
    public static string OneLine(string? text, int max = 160)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        int newline = text.IndexOfAny(['\r', '\n']);
        string line = newline >= 0 ? text[..newline] + " ..." : text;
        return line.Length <= max ? line : line[..(max - 3)] + "...";
    }
}
