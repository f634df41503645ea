namespace StockForecaster.Validation;

/// <summary>Compares column names the way people vary them: case, spaces and punctuation never matter.</summary>
internal static class HeaderNames
{
    /// <summary>Returns the name reduced to lower-case letters and digits, so <c>Adj Close</c>, <c>adj_close</c> and <c>AdjClose</c> agree.</summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        int length = 0;
        foreach (char c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>Returns the field a normalized canonical name stands for, or null when the forecaster has no such field.</summary>
    public static PriceField? FieldOf(string normalized) => normalized switch
    {
        "date" => PriceField.Date,
        "open" => PriceField.Open,
        "high" => PriceField.High,
        "low" => PriceField.Low,
        "close" => PriceField.Close,
        "adjclose" => PriceField.AdjClose,
        "volume" => PriceField.Volume,
        _ => null,
    };

    /// <summary>Returns the canonical names the forecaster knows, in column order.</summary>
    public static IReadOnlyList<string> Canonical { get; } = ["date", "open", "high", "low", "close", "adjclose", "volume"];

    /// <summary>Returns whether two normalized names probably mean the same column: a few edits apart, one inside the other, or a shared stem.</summary>
    public static bool LookAlike(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        string shorter = a.Length <= b.Length ? a : b;
        string longer = ReferenceEquals(shorter, a) ? b : a;
        if (shorter.Length >= 3 && longer.Contains(shorter, StringComparison.Ordinal))
        {
            return true;
        }

        // 'Closing Price' for 'close': a shared stem of four letters is rarely chance among price columns.
        int prefix = 0;
        while (prefix < shorter.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return prefix >= 4 || Distance(a, b) <= Math.Max(1, shorter.Length / 3);
    }

    /// <summary>Returns the closest of <paramref name="candidates"/> to <paramref name="name"/> within a few edits, or null, for "did you mean" hints.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    /// <summary>Returns the Levenshtein distance: insertions, deletions and substitutions, each counting one.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
