using Microsoft.Extensions.Configuration;
using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

public class IngestSettingsTests
{
    [Fact]
    public void Bind_ConfiguredSources_ReplaceTheBundledDefault()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Sources:0:Ticker"] = "AAPL",
            ["Ingest:Sources:0:Kind"] = "alphavantage",
        }).Build();
        var settings = new IngestSettings();
        config.GetSection("Ingest").Bind(settings);

        Assert.Equal(["AAPL"], settings.EffectiveSources().Select(s => s.Ticker));
    }
}
