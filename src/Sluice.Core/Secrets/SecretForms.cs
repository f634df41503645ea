using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Secrets;

/// <summary>The texts a secret can take on its way into a log or a file: as written, URL-encoded, JSON-escaped, base64 and hex.</summary>
internal static class SecretForms
{
    /// <summary>The shortest form worth looking for: shorter ones would mask ordinary text by chance.</summary>
    public const int MinimumFormLength = 6;

    public const string Raw = "raw";
    public const string UrlEncoded = "URL-encoded";
    public const string JsonEscaped = "JSON-escaped";
    public const string Base64 = "base64";
    public const string Base64Url = "base64url";
    public const string Hex = "hex";

    /// <summary>Returns every distinct form of <paramref name="value"/>, the raw one first.</summary>
    public static List<(string Form, string Text)> Of(string value)
    {
        var forms = new List<(string Form, string Text)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string form, string text)
        {
            if (text.Length >= MinimumFormLength && seen.Add(text))
            {
                forms.Add((form, text));
            }
        }

        Add(Raw, value);

        // Encoders differ in the case of their hex digits and in how they write a space ("%20" or "+").
        string percent = Uri.EscapeDataString(value);
        string form = WebUtility.UrlEncode(value);
        foreach (string url in new[] { percent, form, form.Replace("+", "%20", StringComparison.Ordinal) })
        {
            Add(UrlEncoded, url);
            Add(UrlEncoded, LowerEscapes(url, '%', 2));
        }

        // System.Text.Json's default encoder escapes HTML-sensitive and non-ASCII characters; the relaxed one only what JSON requires.
        foreach (JavaScriptEncoder encoder in new[] { JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        {
            string json = JsonEncodedText.Encode(value, encoder).ToString();
            Add(JsonEscaped, json);
            Add(JsonEscaped, LowerEscapes(json, 'u', 4));
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        foreach (string core in Base64Cores(bytes))
        {
            Add(Base64, core);
        }

        foreach (string core in Base64Cores(bytes))
        {
            Add(Base64Url, core.Replace('+', '-').Replace('/', '_'));
        }

        Add(Hex, Convert.ToHexStringLower(bytes));
        Add(Hex, Convert.ToHexString(bytes));
        return forms;
    }

    /// <summary>Returns, for each of the three byte alignments the secret can have inside longer data, the base64 characters that depend on the secret's bytes alone.</summary>
    /// <remarks>
    /// Base64 turns 3 bytes into 4 characters, so the characters a secret produces depend on where it starts
    /// modulo 3. With <c>a</c> bytes before it in its group, characters from bit 8a (rounded up to a character)
    /// to the last whole character before its end are fixed whatever surrounds it.
    /// </remarks>
    internal static IEnumerable<string> Base64Cores(byte[] bytes)
    {
        for (int a = 0; a < 3; a++)
        {
            byte[] shifted = new byte[a + bytes.Length];
            bytes.CopyTo(shifted, a);
            string encoded = Convert.ToBase64String(shifted);
            int first = ((8 * a) + 5) / 6;
            int end = 8 * (a + bytes.Length) / 6;
            if (end > first)
            {
                yield return encoded[first..end];
            }
        }
    }

    // Turns "%2B" into "%2b" (or "\u002B" into "\u002b"): the same text as another encoder writes it.
    private static string LowerEscapes(string text, char marker, int digits)
    {
        var builder = new StringBuilder(text);
        for (int i = 0; i < builder.Length; i++)
        {
            bool escape = marker == '%' ? builder[i] == '%' : builder[i] == '\\' && i + 1 < builder.Length && builder[i + 1] == 'u';
            if (!escape)
            {
                continue;
            }

            int start = i + (marker == '%' ? 1 : 2);
            for (int k = start; k < Math.Min(start + digits, builder.Length); k++)
            {
                builder[k] = char.ToLowerInvariant(builder[k]);
            }

            i = start + digits - 1;
        }

        return builder.ToString();
    }
}
