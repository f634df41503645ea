using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Web;

namespace SecretLeakApp;

/// <summary>The forms in which code commonly writes a secret, made with the standard encoders (not with Sluice's redactor, which the test checks).</summary>
public static class LeakForms
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Returns each form's name and text.</summary>
    public static IEnumerable<(string Form, string Text)> Of(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        yield return ("raw", value);
        yield return ("url-percent", Uri.EscapeDataString(value));
        yield return ("url-plus", WebUtility.UrlEncode(value));
        yield return ("url-lower", HttpUtility.UrlEncode(value));
        yield return ("json-default", JsonSerializer.Serialize(value)[1..^1]);
        yield return ("json-relaxed", JsonSerializer.Serialize(value, Relaxed)[1..^1]);
        yield return ("base64", Convert.ToBase64String(bytes));
        yield return ("base64url", Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        yield return ("basic-auth", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + value)));
        yield return ("base64-offset-2", Convert.ToBase64String([0x01, 0x02, .. bytes]));
        yield return ("hex", Convert.ToHexStringLower(bytes));
    }
}
