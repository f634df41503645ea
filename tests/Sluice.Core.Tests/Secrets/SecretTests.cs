using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Sluice.Configuration;

namespace Sluice.Secrets;

/// <summary>A Secret binds from configuration like text, shows as *** and serializes as ***.</summary>
public sealed class SecretTests
{
    public sealed class ApiSettings
    {
        public string Url { get; set; } = "https://api.example";

        public Secret? Key { get; set; }

        public List<Secret> Tokens { get; set; } = [];
    }

    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Bind_SecretFromConfiguration_RevealedOnlyOnRequest()
    {
        var problems = new List<string>();
        var settings = (ApiSettings)ParameterBinder.BindSection(Config(("Api:Key", "k3y-value-1"), ("Api:Tokens:0", "t0ken-value")), "Api", typeof(ApiSettings), problems)!;

        Assert.Empty(problems);
        Assert.Equal("k3y-value-1", settings.Key!.Reveal());
        Assert.Equal("***", settings.Key.ToString());
        Assert.Equal("***", $"{settings.Key}");
        Assert.Equal("t0ken-value", Assert.Single(settings.Tokens).Reveal());
    }

    [Fact]
    public void Bind_EmptySecret_IsNotAProblem()
    {
        var problems = new List<string>();
        var settings = (ApiSettings)ParameterBinder.BindSection(Config(("Api:Key", "")), "Api", typeof(ApiSettings), problems)!;

        Assert.Empty(problems);
        Assert.True(settings.Key is null || settings.Key.IsEmpty);
    }

    [Fact]
    public void Bind_SecretWithChildKeys_IsAProblemThatShowsNoValue()
    {
        var problems = new List<string>();
        ParameterBinder.BindSection(Config(("Api:Key:Inner", "hidden-value")), "Api", typeof(ApiSettings), problems);

        string problem = Assert.Single(problems);
        Assert.Contains("'Api:Key' has child keys", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-value", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_WritesMaskNeverValue()
    {
        var settings = new ApiSettings { Key = new Secret("k3y-value-1"), Tokens = [new Secret("t0ken-value")] };

        string json = JsonSerializer.Serialize(settings);

        Assert.Equal("{\"Url\":\"https://api.example\",\"Key\":\"***\",\"Tokens\":[\"***\"]}", json);
        Assert.Equal("***", TypeDescriptor.GetConverter(typeof(Secret)).ConvertToInvariantString(settings.Key));
    }

    [Fact]
    public void Equality_ByValue()
    {
        Assert.Equal(new Secret("same-value"), new Secret("same-value"));
        Assert.NotEqual(new Secret("same-value"), new Secret("other-value"));
    }

    [Fact]
    public void FindKeys_SecretPropertiesWithValues_InListsToo()
    {
        var keys = new List<string>();
        SecretKeys.Find(Config(("Api:Url", "u"), ("Api:Key", "k3y-value-1"), ("Api:Tokens:0", "a"), ("Api:Tokens:1", "b"), ("Api:Unknown", "x")), "Api", typeof(ApiSettings), keys);

        Assert.Equal(["Api:Key", "Api:Tokens:0", "Api:Tokens:1"], keys);
    }
}
