using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sluice.State;

/// <summary>Identifies a run: its UTC start time to the second plus four hex digits, so ids sort by time and read easily (<c>20261127-101500-3f9a</c>).</summary>
public readonly record struct RunId : IComparable<RunId>
{
    private RunId(string value) => Value = value;

    /// <summary>Gets the id's text.</summary>
    public string Value { get; }

    /// <summary>Creates a run id from a start time and a random 16-bit suffix.</summary>
    public static RunId New(DateTimeOffset startedAt, int suffix) =>
        new(startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + (suffix & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture));

    /// <summary>Parses a full run id.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RunId? id)
    {
        id = null;
        if (text is null || text.Length != 20 || text[8] != '-' || text[15] != '-')
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool ok = i is 8 or 15 ? c == '-' : i > 15 ? char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c) : char.IsAsciiDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        id = new RunId(text);
        return true;
    }

    /// <summary>Wraps text already known to be a run id (read back from a store).</summary>
    public static RunId FromStored(string value) => new(value);

    /// <inheritdoc/>
    public int CompareTo(RunId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Returns the id's text.</summary>
    public override string ToString() => Value;

    /// <summary>Compares by start time.</summary>
    public static bool operator <(RunId left, RunId right) => left.CompareTo(right) < 0;

    /// <summary>Compares by start time.</summary>
    public static bool operator <=(RunId left, RunId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares by start time.</summary>
    public static bool operator >(RunId left, RunId right) => left.CompareTo(right) > 0;

    /// <summary>Compares by start time.</summary>
    public static bool operator >=(RunId left, RunId right) => left.CompareTo(right) >= 0;
}
