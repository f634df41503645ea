using System.Text;
using Microsoft.Extensions.Configuration;
using Sluice.Configuration;
using Sluice.Definitions;
using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

// Settings are bound the way a run binds them: through Sluice's ParameterBinder from JSON.
public class IngestSettingsTests
{
    private static readonly Pipeline Forecaster = Pipeline.Define("stock-forecaster", p =>
    {
        Artifact<IngestSettings> settings = p.Parameters<IngestSettings>();
        p.Step("ingest").Executes(settings, (_, s) => s.Sources.Count);
    });

    [Fact]
    public void Bind_NoIngestSection_GivesDocumentedDefaultsAndTheBundledCsvSource()
    {
        IngestSettings settings = Bind("{}");

        SourceSettings source = Assert.Single(settings.EffectiveSources());
        Assert.Equal(("SPX", "csv", "data/sp500-2000.csv", "compact"), (source.Ticker, source.Kind, source.Path, source.OutputSize));
        AlphaVantageSettings api = settings.AlphaVantage;
        Assert.Equal(
            ("https://www.alphavantage.co/query", "ALPHAVANTAGE_API_KEY", TimeSpan.FromSeconds(30), 4, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2)),
            (api.BaseUrl, api.ApiKeySecret, api.Timeout, api.MaxAttempts, api.BaseDelay, api.MaxRetryAfter));
    }

    [Fact]
    public void Bind_ExampleConfiguration_ReplacesTheDefaultSource()
    {
        IngestSettings settings = Bind("""
            {
              "Ingest": {
                "Sources": [
                  { "Ticker": "SPX", "Kind": "csv", "Path": "data/sp500-2000.csv" },
                  { "Ticker": "IBM", "Kind": "alphavantage", "OutputSize": "full" },
                  { "Ticker": "TSCO", "Kind": "alphavantage", "Symbol": "TSCO.LON" }
                ],
                "AlphaVantage": { "ApiKeySecret": "ALPHAVANTAGE_API_KEY", "Timeout": "00:00:20", "MaxAttempts": 5, "BaseDelay": "00:00:03", "MaxRetryAfter": "00:01:30" }
              }
            }
            """);

        Assert.Equal(["SPX", "IBM", "TSCO"], settings.EffectiveSources().Select(s => s.Ticker));
        Assert.Equal(["SPX", "IBM", "TSCO.LON"], settings.EffectiveSources().Select(s => s.ApiSymbol()));
        Assert.Equal("full", settings.Sources[1].OutputSize);
        Assert.Equal((TimeSpan.FromSeconds(20), 5), (settings.AlphaVantage.Timeout, settings.AlphaVantage.MaxAttempts));
    }

    [Fact]
    public void Bind_BadSources_ReportsEveryProblemWithItsKey()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Bind("""
            {
              "Ingest": {
                "Sources": [
                  { "Ticker": "SPX", "Kind": "yahoo", "Path": "data/a.csv" },
                  { "Ticker": "IBM", "Kind": "csv" },
                  { "Ticker": "spx", "Kind": "alphavantage", "OutputSize": "everything" }
                ],
                "AlphaVantage": { "ApiKeySecret": "sk-live-123", "MaxAttempts": 0 }
              }
            }
            """));

        Assert.Contains("Configuration key 'Ingest:Sources:0:Kind' is invalid: Use csv or alphavantage.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Ingest:Sources:1:Path' is invalid: A csv source needs a Path", e.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Ingest:Sources:2:OutputSize' is invalid: Use compact or full.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Ingest:Sources:2:Ticker' is invalid: Ticker 'spx' is already used by Sources:0", e.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Ingest:AlphaVantage:ApiKeySecret' is invalid: Name the secret", e.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Ingest:AlphaVantage:MaxAttempts' is invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_AbsoluteCsvPath_IsRejected()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Bind("""{ "Ingest": { "Sources": [ { "Ticker": "SPX", "Path": "/etc/prices.csv" } ] } }"""));

        Assert.Contains("Path '/etc/prices.csv' is absolute: use a path relative to the project folder.", e.Message, StringComparison.Ordinal);
    }

    private static IngestSettings Bind(string json)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        return Assert.IsType<IngestSettings>(ParameterBinder.Bind(Forecaster, configuration)["Ingest"]);
    }
}
