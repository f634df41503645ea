namespace StockForecaster.Sources;

/// <summary>Keeps an API key out of everything that is logged, thrown or published.</summary>
internal static class ApiKeyRedaction
{
    private const string Mask = "***";

    /// <summary>Returns <paramref name="url"/> with every <c>apikey</c> query parameter removed (any case).</summary>
    public static string WithoutApiKey(string url)
    {
        int query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }

        int fragment = url.IndexOf('#', query);
        string parameters = fragment < 0 ? url[(query + 1)..] : url[(query + 1)..fragment];
        string kept = string.Join('&', parameters
            .Split('&')
            .Where(p => p.Length > 0 && !p.Split('=')[0].Equals("apikey", StringComparison.OrdinalIgnoreCase)));
        return url[..query] + (kept.Length > 0 ? "?" + kept : "") + (fragment < 0 ? "" : url[fragment..]);
    }

    /// <summary>Returns <paramref name="text"/> with every occurrence of <paramref name="key"/> (as written or URL-escaped) masked; servers echo keys in their messages.</summary>
    public static string Scrub(string text, string key)
    {
        if (key.Length == 0)
        {
            return text;
        }

        string escaped = Uri.EscapeDataString(key);
        text = text.Replace(key, Mask, StringComparison.OrdinalIgnoreCase);
        return escaped == key ? text : text.Replace(escaped, Mask, StringComparison.OrdinalIgnoreCase);
    }
}
