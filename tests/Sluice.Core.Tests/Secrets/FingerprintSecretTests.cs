using Sluice.Definitions;
using Sluice.Planning;

namespace Sluice.Secrets;

/// <summary>Secrets are never part of a fingerprint: changing one alone reuses the step's checkpoint.</summary>
public sealed class FingerprintSecretTests
{
    public sealed class ApiSettings
    {
        public string Url { get; set; } = "https://api.example";

        public Secret? Key { get; set; }

        public string? Password { get; set; }
    }

    private static StepDefinition Step() =>
        Pipeline.Define("p", p =>
        {
            Artifact<ApiSettings> settings = p.Parameters<ApiSettings>("Api");
            p.Step("ingest").Executes(settings, (_, s) => s.Url);
        })["ingest"];

    private static Fingerprint Compute(ApiSettings settings, SecretRedactor? secrets = null) =>
        Fingerprint.Compute("p", Step(), new Dictionary<string, object> { ["Api"] = settings }, new Dictionary<string, string>(), secrets);

    [Fact]
    public void Compute_OnlySecretValueChanged_SameFingerprint()
    {
        Fingerprint first = Compute(new ApiSettings { Key = new Secret("first-key-value") });
        Fingerprint second = Compute(new ApiSettings { Key = new Secret("second-key-value") });

        Assert.Equal(first.Value, second.Value);
        Assert.Contains("\"Key\":\"***\"", first.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("first-key-value", first.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_OtherParameterChanged_DifferentFingerprint()
    {
        Assert.NotEqual(
            Compute(new ApiSettings { Key = new Secret("first-key-value") }).Value,
            Compute(new ApiSettings { Key = new Secret("first-key-value"), Url = "https://other.example" }).Value);
    }

    [Fact]
    public void Compute_PlainValueFromSecretSource_KeyedAsMask()
    {
        // A value from config/secrets.json bound to a string is a secret too.
        var first = new SecretRedactor();
        first.Add("Api:Password", "hunter2-first");
        var second = new SecretRedactor();
        second.Add("Api:Password", "hunter2-second");

        Fingerprint a = Compute(new ApiSettings { Password = "hunter2-first" }, first);
        Fingerprint b = Compute(new ApiSettings { Password = "hunter2-second" }, second);

        Assert.Equal(a.Value, b.Value);
        Assert.Contains("\"Password\":\"***\"", a.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", a.Key, StringComparison.Ordinal);
    }
}
