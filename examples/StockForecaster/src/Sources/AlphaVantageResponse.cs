using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sluice.Definitions;
using StockForecaster.Data;

namespace StockForecaster.Sources;

/// <summary>
/// Reads an Alpha Vantage <c>TIME_SERIES_DAILY</c> JSON answer into a <see cref="RawSeries"/> with header
/// <c>Date,Open,High,Low,Close,Volume</c> and one line per day, oldest first.
/// </summary>
/// <remarks>
/// The success shape is <c>{"Meta Data": {...}, "Time Series (Daily)": {"2024-01-05": {"1. open": "..", "2. high": "..",
/// "3. low": "..", "4. close": "..", "5. volume": ".."}, ...}}</c>, newest day first. Failures also come with HTTP 200:
/// <c>{"Error Message": ..}</c> (bad symbol or call, or a bad key), <c>{"Note": ..}</c> and <c>{"Information": ..}</c>
/// (the rate limit, or a notice such as a premium-only option). The line number given to each day is the record's
/// 1-based position in "Time Series (Daily)" as received, so 1 is the newest day: cleaning can point back into the response.
/// Dates are sorted as text, which is chronological for the API's yyyy-MM-dd keys; values are kept as the API wrote them.
/// </remarks>
internal static class AlphaVantageResponse
{
    /// <summary>The property holding the days.</summary>
    public const string SeriesProperty = "Time Series (Daily)";

    private static readonly string[] Fields = ["1. open", "2. high", "3. low", "4. close", "5. volume"];

    /// <summary>Gets the header every converted series has.</summary>
    public static IReadOnlyList<string> Header { get; } = ["Date", "Open", "High", "Low", "Close", "Volume"];

    /// <summary>Converts <paramref name="body"/>; throws <see cref="DataValidationException"/> for answers that asking again will not fix and <see cref="TransientResponseException"/> for the rate limit.</summary>
    public static RawSeries Parse(string ticker, byte[] body, string location, string apiKey, string secretName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new DataValidationException(
                $"Alpha Vantage's answer to {location} is not JSON (line {e.LineNumber + 1}; it starts '{Excerpt(body, apiKey)}'): expected a TIME_SERIES_DAILY object.");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DataValidationException($"Alpha Vantage's answer to {location} is a JSON {root.ValueKind}, not an object: expected a TIME_SERIES_DAILY object.");
            }

            ThrowIfNotice(root, location, apiKey, secretName);
            if (!root.TryGetProperty(SeriesProperty, out JsonElement series))
            {
                string keys = string.Join(", ", root.EnumerateObject().Select(p => $"\"{ApiKeyRedaction.Scrub(p.Name, apiKey)}\""));
                throw new DataValidationException(
                    $"Alpha Vantage's answer to {location} has no \"{SeriesProperty}\" (its keys: {(keys.Length > 0 ? keys : "none")}): expected a TIME_SERIES_DAILY object.");
            }

            if (series.ValueKind != JsonValueKind.Object)
            {
                throw new DataValidationException($"\"{SeriesProperty}\" in Alpha Vantage's answer to {location} is a JSON {series.ValueKind}, not an object of days.");
            }

            var days = new List<(string Date, string Line, int Position)>();
            int position = 0;
            foreach (JsonProperty day in series.EnumerateObject())
            {
                position++;
                days.Add((day.Name, ToLine(day, position, location), position));
            }

            // Stable: equal dates (which cleaning reports as duplicates) stay in the order received.
            days.Sort((a, b) => string.CompareOrdinal(a.Date, b.Date) is var byDate and not 0 ? byDate : a.Position.CompareTo(b.Position));
            var source = new SourceInfo(SourceSettings.AlphaVantageKind, location, Convert.ToHexStringLower(SHA256.HashData(body)), body.LongLength);
            return new RawSeries(ticker, source, [.. Header], [.. days.Select(d => d.Line)], [.. days.Select(d => d.Position)]);
        }
    }

    /// <summary>Returns whether Alpha Vantage's notice text is about its rate limit (which also mentions the key, so it is checked first).</summary>
    public static bool IsRateLimit(string text) =>
        text.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
        || text.Contains("call frequency", StringComparison.OrdinalIgnoreCase)
        || text.Contains("calls per", StringComparison.OrdinalIgnoreCase)
        || text.Contains("requests per", StringComparison.OrdinalIgnoreCase);

    private static bool IsAboutKey(string text) =>
        text.Contains("api key", StringComparison.OrdinalIgnoreCase) || text.Contains("apikey", StringComparison.OrdinalIgnoreCase);

    private static void ThrowIfNotice(JsonElement root, string location, string apiKey, string secretName)
    {
        if (Text(root, "Error Message") is { } error)
        {
            string said = ApiKeyRedaction.Scrub(error, apiKey);
            throw new DataValidationException(IsAboutKey(error)
                ? $"Alpha Vantage rejected the API key named by secret {secretName} ({location} answered \"{said}\"): check the key."
                : $"Alpha Vantage refused {location}: \"{said}\". Check the source's Symbol (or Ticker) and OutputSize in Ingest:Sources.");
        }

        foreach (string name in (ReadOnlySpan<string>)["Note", "Information"])
        {
            if (Text(root, name) is not { } notice)
            {
                continue;
            }

            string said = ApiKeyRedaction.Scrub(notice, apiKey);
            if (IsRateLimit(notice))
            {
                throw new TransientResponseException($"Alpha Vantage's rate limit was reached for {location}: \"{said}\"", null, null);
            }

            throw new DataValidationException(IsAboutKey(notice)
                ? $"Alpha Vantage rejected the API key named by secret {secretName} ({location} answered \"{said}\"): check the key."
                : $"Alpha Vantage answered {location} with a notice instead of prices: \"{said}\"");
        }
    }

    private static string ToLine(JsonProperty day, int position, string location)
    {
        string where = $"record {position} (\"{day.Name}\") of \"{SeriesProperty}\" in Alpha Vantage's answer to {location}";
        if (day.Value.ValueKind != JsonValueKind.Object)
        {
            throw new DataValidationException($"{where} is a JSON {day.Value.ValueKind}, not an object of prices.");
        }

        var line = new StringBuilder(64);
        Append(line, day.Name, "its date", where);
        foreach (string field in Fields)
        {
            if (!day.Value.TryGetProperty(field, out JsonElement value))
            {
                throw new DataValidationException($"{where} has no \"{field}\": every day needs {string.Join(", ", Fields.Select(f => $"\"{f}\""))}.");
            }

            string text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                _ => throw new DataValidationException($"{where} has \"{field}\" as a JSON {value.ValueKind}; expected a string such as \"160.8600\"."),
            };
            line.Append(',');
            Append(line, text, $"\"{field}\"", where);
        }

        return line.ToString();
    }

    private static void Append(StringBuilder line, string value, string what, string where)
    {
        // The record becomes one comma-separated line: a comma or line break in a value would shift or split its columns.
        if (value.AsSpan().IndexOfAny(',', '\r', '\n') >= 0)
        {
            throw new DataValidationException($"{where} has a comma or line break in {what} ('{value.ReplaceLineEndings(" ")}'), which cannot be kept as one CSV field.");
        }

        line.Append(value);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;

    private static string Excerpt(byte[] body, string apiKey)
    {
        const int Shown = 120;

        // Scrub before cutting: a cut through the key would leave a prefix the scrubber cannot recognise.
        int decoded = Math.Min(body.Length, Shown + (3 * apiKey.Length) + 16);
        string text = ApiKeyRedaction.Scrub(Encoding.UTF8.GetString(body, 0, decoded), apiKey).ReplaceLineEndings(" ");
        return text.Length > Shown || decoded < body.Length ? string.Concat(text.AsSpan(0, Math.Min(text.Length, Shown)), "...") : text;
    }
}
