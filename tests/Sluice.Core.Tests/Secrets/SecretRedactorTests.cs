using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;

namespace Sluice.Secrets;

/// <summary>The redactor masks a secret in every form it takes on its way into text, and costs nothing on clean text.</summary>
public sealed class SecretRedactorTests
{
    // Spaces, '+', '/', '&', '<', quotes and a non-ASCII letter: every encoder writes this differently from the raw text.
    private const string Value = "p@ss w0rd+/&<\"é\">key";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static SecretRedactor Redactor(string value = Value)
    {
        var redactor = new SecretRedactor();
        Assert.True(redactor.Add("Api:Key", value));
        return redactor;
    }

    public static TheoryData<string, string> Encodings() => new()
    {
        { "raw", Value },
        { "Uri.EscapeDataString", Uri.EscapeDataString(Value) },
        { "WebUtility.UrlEncode", WebUtility.UrlEncode(Value) },
        { "HttpUtility.UrlEncode (lower-case hex)", HttpUtility.UrlEncode(Value) },
        { "form encoding with %20", WebUtility.UrlEncode(Value).Replace("+", "%20", StringComparison.Ordinal) },
        { "JSON, default encoder", JsonSerializer.Serialize(Value) },
        { "JSON, relaxed encoder", JsonSerializer.Serialize(Value, Relaxed) },
        { "JSON, lower-case escapes (as Newtonsoft writes them)", Regex.Replace(JsonSerializer.Serialize(Value), @"\\u[0-9A-F]{4}", m => m.Value.ToLowerInvariant()) },
        { "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(Value)) },
        { "base64url", Convert.ToBase64String(Encoding.UTF8.GetBytes(Value)).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        { "hex, lower case", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Value)) },
        { "hex, upper case", Convert.ToHexString(Encoding.UTF8.GetBytes(Value)) },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Redact_EveryEncodedForm_Masked(string encoder, string encoded)
    {
        string text = $"calling https://api.example/q?key={encoded}&n=1 now";

        string redacted = Redactor().Redact(text);

        Assert.True(redacted.Contains(SecretRedactor.Mask, StringComparison.Ordinal), $"{encoder}: {redacted}");
        Assert.DoesNotContain(encoded.Trim('"').TrimEnd('='), redacted, StringComparison.Ordinal);
        Assert.StartsWith("calling https://api.example/q?key=", redacted, StringComparison.Ordinal);
        Assert.EndsWith("&n=1 now", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Redact_SecretInsideLongerBase64_MaskedAtEveryAlignment(int before)
    {
        // A token such as base64("user:" + password): the secret's bytes start at any offset modulo 3.
        byte[] prefix = Encoding.UTF8.GetBytes(new string('u', before) + ":");
        byte[] secret = Encoding.UTF8.GetBytes(Value);
        byte[] suffix = Encoding.UTF8.GetBytes("|tail");
        string standard = Convert.ToBase64String([.. prefix, .. secret, .. suffix]);
        string url = standard.Replace('+', '-').Replace('/', '_');

        foreach (string encoded in new[] { standard, url })
        {
            string redacted = Redactor().Redact($"Authorization: Basic {encoded}");

            // Everything but the at most two characters on each side that mix secret bits with their neighbours' is gone.
            int secretChars = secret.Length * 4 / 3;
            Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
            Assert.True(redacted.Length <= "Authorization: Basic ".Length + encoded.Length - secretChars + 4 + SecretRedactor.Mask.Length, redacted);
        }
    }

    [Fact]
    public void Redact_CleanText_SameInstanceAndNoAllocation()
    {
        SecretRedactor redactor = Redactor();
        string clean = "step 'ingest' failed: HttpRequestException: 503 Service Unavailable (transient)";
        Assert.Same(clean, redactor.Redact(clean));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _ = redactor.Redact(clean);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Redact_NoSecrets_ReturnsTextAndIsEmpty()
    {
        var redactor = new SecretRedactor();
        Assert.True(redactor.IsEmpty);
        Assert.Same(Value, redactor.Redact(Value));
        SecretRedactor.None.Add("x", "a-long-enough-secret");
        Assert.True(SecretRedactor.None.IsEmpty);
    }

    [Fact]
    public void Redact_SeveralSecretsAndOccurrences_AllMasked()
    {
        var redactor = new SecretRedactor();
        redactor.AddRange([("A", "first-secret-1"), ("B", "second-secret-22")]);

        Assert.Equal("*** and *** and *** again", redactor.Redact("first-secret-1 and second-secret-22 and first-secret-1 again"));
    }

    [Fact]
    public void Redact_SecretContainingAnother_MaskedWhole()
    {
        var redactor = new SecretRedactor();
        redactor.AddRange([("Short", "token-123"), ("Long", "token-123-extended")]);

        Assert.Equal("x *** y", redactor.Redact("x token-123-extended y"));
    }

    [Fact]
    public void Add_TooShort_SkippedAndNamed()
    {
        var redactor = new SecretRedactor();

        Assert.False(redactor.Add("Api:Pin", "12345"));
        Assert.False(redactor.Add("Api:Empty", ""));

        Assert.True(redactor.IsEmpty);
        Assert.Equal(["Api:Pin"], redactor.Skipped);
        Assert.Equal("pin 12345", redactor.Redact("pin 12345"));
    }

    [Fact]
    public void TryFind_NamesTheSecretAndItsForm()
    {
        SecretRedactor redactor = Redactor();

        Assert.True(redactor.TryFind($"x={Uri.EscapeDataString(Value)}", out string name, out string form));
        Assert.Equal(("Api:Key", "URL-encoded"), (name, form));
        Assert.True(redactor.TryFind(Value, out _, out form));
        Assert.Equal("raw", form);
        Assert.False(redactor.TryFind("nothing here", out _, out _));
    }

    [Fact]
    public void Redact_WhileSecretsAreAdded_IsThreadSafe()
    {
        var redactor = new SecretRedactor();
        Parallel.For(0, 200, i =>
        {
            redactor.Add($"S{i}", $"secret-number-{i:D4}");
            Assert.DoesNotContain($"secret-number-{i:D4}", redactor.Redact($"value secret-number-{i:D4}."), StringComparison.Ordinal);
        });
    }
}
