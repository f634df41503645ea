using System.Globalization;
using System.Runtime.CompilerServices;

namespace StockForecaster.Validation;

/// <summary>Parses one cell of a comma-separated line in place: spans in, values out, no strings made.</summary>
/// <remarks>
/// The per-cell methods are compiled fully optimized on first call: validation runs once per process, so tiered
/// compilation would leave much of a single run in unoptimized code (measured: about a fifth less CPU on a cold run).
/// </remarks>
internal static class Cells
{
    // Powers of ten that doubles hold exactly; dividing by one of them is then correctly rounded (Clinger's fast path).
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private const long LargestExactInteger = 1L << 53;

    /// <summary>Returns the cell without surrounding white space (including a CR left by CRLF files) or double quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<char> Clean(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"')
        {
            cell = cell[1..^1].Trim();
        }

        return cell;
    }

    /// <summary>Returns whether a cleaned cell stands for no value: empty or <c>null</c> in any case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsMissing(ReadOnlySpan<char> cell) => cell.IsEmpty || cell.Equals("null", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a cleaned cell as a date in <paramref name="format"/>, with a fast path for ISO <c>yyyy-MM-dd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDate(ReadOnlySpan<char> cell, string format, bool iso, out DateOnly date)
    {
        if (iso)
        {
            return TryParseIsoDate(cell, out date);
        }

        return DateOnly.TryParseExact(cell, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Parses a cleaned cell as a finite decimal number in invariant culture.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDecimal(ReadOnlySpan<char> cell, out double value)
    {
        if (TryParsePlainDecimal(cell, out value))
        {
            return true;
        }

        // Exponents, long mantissas and the like: the framework's parser is exact; NaN and infinities are not prices.
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Parses a cleaned cell as a whole number in invariant culture.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInteger(ReadOnlySpan<char> cell, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (cell.Length > 0 && (cell[0] == '-' || cell[0] == '+'))
        {
            negative = cell[0] == '-';
            i = 1;
        }

        if (i == cell.Length || cell.Length - i > 18)
        {
            return cell.Length - i > 18 && long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        long result = 0;
        for (; i < cell.Length; i++)
        {
            int digit = cell[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        value = negative ? -result : result;
        return true;
    }

    /// <summary>Returns what a cleaned cell looks like, for saying what a retyped column holds instead.</summary>
    public static CellKind Classify(ReadOnlySpan<char> cell, string format, bool iso)
    {
        if (IsMissing(cell))
        {
            return CellKind.Missing;
        }

        if (TryParseInteger(cell, out _))
        {
            return CellKind.Integer;
        }

        if (TryParseDecimal(cell, out _))
        {
            return CellKind.Decimal;
        }

        return TryParseDate(cell, format, iso, out _) ? CellKind.Date : CellKind.Text;
    }

    /// <summary>Returns whether a cleaned, present cell parses as <paramref name="type"/>.</summary>
    public static bool Fits(ReadOnlySpan<char> cell, ColumnType type, string format, bool iso) => type switch
    {
        ColumnType.Date => TryParseDate(cell, format, iso, out _),
        ColumnType.DecimalNumber => TryParseDecimal(cell, out _),
        _ => TryParseInteger(cell, out _),
    };

    /// <summary>Returns the cell at 0-based <paramref name="index"/> of a comma-separated line, or false when the line is shorter.</summary>
    public static bool TryGetField(ReadOnlySpan<char> line, int index, out ReadOnlySpan<char> cell)
    {
        for (int i = 0; i < index; i++)
        {
            int comma = line.IndexOf(',');
            if (comma < 0)
            {
                cell = default;
                return false;
            }

            line = line[(comma + 1)..];
        }

        int end = line.IndexOf(',');
        cell = end < 0 ? line : line[..end];
        return true;
    }

    /// <summary>Describes what a column of <paramref name="type"/> expects, for "expected ..., found ..." messages.</summary>
    public static string Expectation(ColumnType type, string format) => type switch
    {
        ColumnType.Date => $"a date ({format})",
        ColumnType.DecimalNumber => "a decimal number",
        _ => "an integer",
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseIsoDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        int year = Digits(s[..4]);
        int month = Digits(s.Slice(5, 2));
        int day = Digits(s.Slice(8, 2));
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    // Returns the number the digits spell, or -1 when one is not a digit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Digits(ReadOnlySpan<char> s)
    {
        int value = 0;
        foreach (char c in s)
        {
            int digit = c - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    // Reads [sign]digits[.digits] with at most 18 digits: the shape almost every price file uses.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParsePlainDecimal(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        bool point = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            int digit = c - '0';
            if ((uint)digit <= 9)
            {
                if (++digits > 18)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
                scale += point ? 1 : 0;
            }
            else if (c == '.' && !point)
            {
                point = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || mantissa > LargestExactInteger || scale >= ExactPowersOfTen.Length)
        {
            return false;
        }

        value = mantissa / ExactPowersOfTen[scale];
        value = negative ? -value : value;
        return true;
    }
}
