using System.Globalization;
using Sluice.State;

namespace Sluice.Sqlite;

/// <summary>Converts record values to and from the columns' stored forms (see docs/file-formats.md).</summary>
internal static class StoredValues
{
    // Fixed width and always UTC, so text order is time order and ORDER BY created_at works on the text;
    // seven fraction digits keep every tick, so a record read back equals the one written.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // Plain dictionaries: building a FrozenDictionary costs tens of milliseconds of start-up (its generic code is
    // compiled on first use), far more than it saves on a handful of lookups per record read.
    private static readonly Dictionary<string, RunStatus> RunStatuses =
        Enum.GetValues<RunStatus>().ToDictionary(s => s.ToText(), StringComparer.Ordinal);

    private static readonly Dictionary<string, StepStatus> StepStatuses =
        Enum.GetValues<StepStatus>().ToDictionary(s => s.ToText(), StringComparer.Ordinal);

    private static readonly Dictionary<string, AttemptOutcome> Outcomes =
        Enum.GetValues<AttemptOutcome>().ToDictionary(s => s.ToText(), StringComparer.Ordinal);

    private static readonly Dictionary<string, RunEventKind> EventKinds =
        Enum.GetValues<RunEventKind>().ToDictionary(s => s.ToText(), StringComparer.Ordinal);

    // ToText() builds some names with ToString().ToLowerInvariant() on every call; the writer asks for one per
    // statement, so each name is made once here. Enum values are 0..n-1, so the value is the index.
    private static readonly string[] RunStatusTexts = [.. Enum.GetValues<RunStatus>().Select(s => s.ToText())];
    private static readonly string[] StepStatusTexts = [.. Enum.GetValues<StepStatus>().Select(s => s.ToText())];
    private static readonly string[] OutcomeTexts = [.. Enum.GetValues<AttemptOutcome>().Select(s => s.ToText())];
    private static readonly string[] EventKindTexts = [.. Enum.GetValues<RunEventKind>().Select(s => s.ToText())];

    public static string Text(RunStatus value) => RunStatusTexts[(int)value];

    public static string Text(StepStatus value) => StepStatusTexts[(int)value];

    public static string Text(AttemptOutcome value) => OutcomeTexts[(int)value];

    public static string Text(RunEventKind value) => EventKindTexts[(int)value];

    // The writer formats several times per step; general-purpose formatting was a tenth of its time, so the fixed
    // layout is written digit by digit. StoredValuesTests checks it against the "O" format.
    public static string Time(DateTimeOffset value) => string.Create(TimeFormatLength, value.UtcDateTime, static (text, utc) => Format(text, utc));

    /// <summary>Writes the stored form of a time as UTF-8 (it is ASCII) into <paramref name="into"/>, which holds <see cref="TimeFormatLength"/> bytes; the writer binds it from there without making a string.</summary>
    public static ReadOnlySpan<byte> TimeUtf8(DateTimeOffset value, Span<byte> into)
    {
        Span<byte> text = into[..TimeFormatLength];
        Format(text, value.UtcDateTime);
        return text;
    }

    public const int TimeFormatLength = 28;

    private static void Format<T>(Span<T> text, DateTime utc)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        utc.Deconstruct(out int year, out int month, out int day);
        long ticksOfDay = utc.Ticks % TimeSpan.TicksPerDay;
        int seconds = (int)(ticksOfDay / TimeSpan.TicksPerSecond);
        Digits(text[..4], year);
        text[4] = T.CreateTruncating('-');
        Digits(text.Slice(5, 2), month);
        text[7] = T.CreateTruncating('-');
        Digits(text.Slice(8, 2), day);
        text[10] = T.CreateTruncating('T');
        Digits(text.Slice(11, 2), seconds / 3600);
        text[13] = T.CreateTruncating(':');
        Digits(text.Slice(14, 2), seconds / 60 % 60);
        text[16] = T.CreateTruncating(':');
        Digits(text.Slice(17, 2), seconds % 60);
        text[19] = T.CreateTruncating('.');
        Digits(text.Slice(20, 7), (int)(ticksOfDay % TimeSpan.TicksPerSecond));
        text[27] = T.CreateTruncating('Z');
    }

    private static void Digits<T>(Span<T> into, int value)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = into.Length - 1; i >= 0; i--)
        {
            into[i] = T.CreateTruncating('0' + (value % 10));
            value /= 10;
        }
    }

    public static object Time(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static object OrNull(int? value) => value is { } v ? v : DBNull.Value;

    public static object OrNull(long? value) => value is { } v ? v : DBNull.Value;

    public static object Ticks(TimeSpan? value) => value is { } v ? v.Ticks : DBNull.Value;

    public static RunStatus ParseRunStatus(string text) => Parse(RunStatuses, text, "run status");

    public static StepStatus ParseStepStatus(string text) => Parse(StepStatuses, text, "step status");

    public static AttemptOutcome ParseOutcome(string text) => Parse(Outcomes, text, "attempt outcome");

    public static RunEventKind ParseEventKind(string text) => Parse(EventKinds, text, "event kind");

    private static T Parse<T>(Dictionary<string, T> known, string text, string what) =>
        known.TryGetValue(text, out T? value)
            ? value
            : throw new FormatException($"The run store holds an unknown {what} '{text}'; it was probably written by a newer Sluice.");
}
