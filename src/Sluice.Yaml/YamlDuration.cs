using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Yaml;

/// <summary>Reads durations as written in sluice.yaml: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, or a .NET time span <c>00:05:00</c>.</summary>
/// <remarks>A bare number is refused: whether <c>5</c> means seconds or minutes is exactly the mistake a unit prevents.</remarks>
internal static partial class YamlDuration
{
    /// <summary>Gets the forms accepted, for messages.</summary>
    public const string Forms = "a number with a unit (500ms, 30s, 5m, 1h30m, 2d) or hh:mm:ss (00:05:00)";

    /// <summary>Parses <paramref name="text"/>; returns false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
        }

        Match match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        try
        {
            foreach (Capture part in match.Groups["part"].Captures)
            {
                Match piece = Part().Match(part.Value);
                long amount = long.Parse(piece.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                value += piece.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,9}(?:ms|s|m|h|d))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^([0-9]+)(ms|s|m|h|d)$")]
    private static partial Regex Part();
}
