using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>Fingerprints: a documented key, stable everywhere, changed by exactly what should change it, explained in words.</summary>
public sealed class FingerprintTests
{
    public enum Method
    {
        Ar,
        RandomWalk,
    }

    public sealed class ModelSettings
    {
        public int Window { get; set; } = 500;

        public double Threshold { get; set; } = 0.1;

        public Method Method { get; set; } = Method.Ar;

        public DateOnly Start { get; set; } = new(2000, 1, 3);

        public List<string> Tickers { get; set; } = ["SPX"];
    }

    private static (Pipeline Pipeline, StepDefinition Model) Define(string version = "1") =>
        Pipeline.Define("forecaster", p =>
        {
            Artifact<ModelSettings> settings = p.Parameters<ModelSettings>("Model");
            Artifact<int> clean = p.Step("clean").Executes(_ => 1);
            p.Step("audit").Executes(_ => { });
            p.Step("model").Version(version).After("audit").Executes(clean, settings, (_, c, s) => c + s.Window);
        }) is var pipeline ? (pipeline, pipeline["model"]) : default;

    private static Fingerprint Compute(StepDefinition step, ModelSettings? settings = null, string cleanHash = "xxh128:5d1f0c2a00000000000000000000000a") =>
        Fingerprint.Compute("forecaster", step, new Dictionary<string, object> { ["Model"] = settings ?? new ModelSettings() }, new Dictionary<string, string> { ["clean"] = cleanHash });

    [Fact]
    public void Key_IsTheDocumentedTextAndValueItsSha256()
    {
        Fingerprint fingerprint = Compute(Define().Model);

        Assert.Equal(
            "sluice-fingerprint/1\n"
            + "pipeline \"forecaster\"\n"
            + "step \"model\"\n"
            + "version \"1\"\n"
            + "parameters \"Model\" {\"Method\":\"Ar\",\"Start\":\"2000-01-03\",\"Threshold\":0.1,\"Tickers\":[\"SPX\"],\"Window\":500}\n"
            + "input \"clean\" \"xxh128:5d1f0c2a00000000000000000000000a\"\n",
            fingerprint.Key);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.Key))), fingerprint.Value);
        Assert.Equal(fingerprint.Value[..8], fingerprint.Abbreviated);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("ar-SA")]
    [InlineData("")]
    public void Value_IsTheSameInEveryCulture(string culture)
    {
        StepDefinition model = Define().Model;
        string invariant = Compute(model, new ModelSettings { Threshold = 1234.5 }).Value;
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(invariant, Compute(model, new ModelSettings { Threshold = 1234.5 }).Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void Value_DependsOnExactlyVersionParametersAndInputs()
    {
        StepDefinition model = Define().Model;
        string baseline = Compute(model).Value;

        Assert.Equal(baseline, Compute(Define().Model).Value);
        Assert.NotEqual(baseline, Compute(Define(version: "2").Model).Value);
        Assert.NotEqual(baseline, Compute(model, new ModelSettings { Window = 250 }).Value);
        Assert.NotEqual(baseline, Compute(model, new ModelSettings { Tickers = ["SPX", "NDX"] }).Value);
        Assert.NotEqual(baseline, Compute(model, cleanHash: "xxh128:9e33aa0100000000000000000000000b").Value);
    }

    [Fact]
    public void Value_IgnoresOrderOnlyEdgesAndOtherSteps()
    {
        // 'audit' is an order-only dependency of 'model': its output is not an input, so it is not in the key.
        Fingerprint fingerprint = Compute(Define().Model);

        Assert.DoesNotContain("audit", fingerprint.Key, StringComparison.Ordinal);
        Assert.Single(fingerprint.Inputs);
    }

    [Fact]
    public void Explain_NamesEachChangeInWords()
    {
        StepDefinition model = Define().Model;
        Fingerprint before = Compute(model);
        Fingerprint after = Compute(
            Define(version: "2").Model,
            new ModelSettings { Window = 250, Method = Method.RandomWalk },
            "xxh128:9e33aa0100000000000000000000000b");

        Assert.Equal(
            [
                "version 1 -> 2",
                "parameter Model.Method Ar -> RandomWalk",
                "parameter Model.Window 500 -> 250",
                "input 'clean' changed (5d1f0c2a -> 9e33aa01)",
            ],
            Fingerprint.Explain(before, after));
        Assert.Empty(Fingerprint.Explain(before, Compute(model)));
    }

    [Fact]
    public void Explain_ListChange_NamesTheItem()
    {
        StepDefinition model = Define().Model;

        IReadOnlyList<string> reasons = Fingerprint.Explain(Compute(model), Compute(model, new ModelSettings { Tickers = ["SPX", "NDX"] }));

        Assert.Equal(["parameter Model.Tickers[1] (unset) -> NDX"], reasons);
    }

    [Fact]
    public void KeyQuoting_IsExactlyJsonSerializers_ForEveryAsciiCharacterAndSomeOthers()
    {
        // Keys of earlier runs were written with JsonSerializer.Serialize: any difference would invalidate every checkpoint.
        var values = new List<string> { "", "s0", "clean-prices", "xxh128:5d1f0c2a00000000000000000000000a", "file:data/numbers.csv", "files:sources:data/a b.csv", "é", "日本", "a\u2028b" };
        for (char c = '\0'; c < (char)128; c++)
        {
            values.Add("x" + c + "y");
        }

        foreach (string value in values)
        {
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value), Fingerprint.AppendQuoted(new StringBuilder(), value).ToString());
        }
    }

    [Fact]
    public void Value_IsTheSha256OfTheKeyText_ForEscapedNamesAndKeysLongerThanTheFirstBuffer()
    {
        // The value is hashed from pooled key text, not from Key: the two must agree whatever the key holds.
        Pipeline pipeline = Pipeline.Define("escapes", p =>
        {
            Artifact<ModelSettings> settings = p.Parameters<ModelSettings>("Model");
            var inputs = new List<Artifact<int>>();
            for (int i = 0; i < 40; i++)
            {
                inputs.Add(p.Step($"source-{i}").Executes(_ => 1));
            }

            p.Step("sink").Version("2 \"beta\" é \u2028 日本").After([.. inputs]).Executes(inputs[0], inputs[1], settings, (_, a, b, s) => a + b);
        });
        var hashes = new Dictionary<string, string> { ["source-0"] = "xxh128:5d1f0c2a00000000000000000000000a", ["source-1"] = new string('9', 2000) };

        Fingerprint fingerprint = Fingerprint.Compute("escapes", pipeline["sink"], new Dictionary<string, object> { ["Model"] = new ModelSettings { Tickers = [.. Enumerable.Range(0, 300).Select(i => $"T{i}")] } }, hashes);

        Assert.Contains("\nversion " + System.Text.Json.JsonSerializer.Serialize(pipeline["sink"].Version) + "\n", fingerprint.Key, StringComparison.Ordinal);
        Assert.Contains("\\u0022beta", fingerprint.Key, StringComparison.Ordinal);
        Assert.True(fingerprint.Key.Length > 4000);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.Key))), fingerprint.Value);
        Assert.Equal(fingerprint.Value, Fingerprint.FromKey(fingerprint.Key).Value);
    }
}
