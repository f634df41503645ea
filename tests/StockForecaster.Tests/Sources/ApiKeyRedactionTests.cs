using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

public class ApiKeyRedactionTests
{
    [Theory]
    [InlineData("https://x/query?function=F&apikey=K&symbol=S", "https://x/query?function=F&symbol=S")]
    [InlineData("https://x/query?apikey=K", "https://x/query")]
    [InlineData("https://x/query?ApiKey=K&a=1&APIKEY=L#top", "https://x/query?a=1#top")]
    [InlineData("https://x/query?apikeyish=1", "https://x/query?apikeyish=1")]
    [InlineData("https://x/query", "https://x/query")]
    public void WithoutApiKey_RemovesEveryApiKeyParameter(string url, string expected) =>
        Assert.Equal(expected, ApiKeyRedaction.WithoutApiKey(url));

    [Fact]
    public void Scrub_MasksTheKeyAsWrittenAndEscaped() =>
        Assert.Equal("detected your API key as *** (sent as ***)", ApiKeyRedaction.Scrub("detected your API key as k+y/1 (sent as k%2By%2F1)", "k+y/1"));
}
