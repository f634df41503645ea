using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Configuration;
using Sluice.Definitions;

namespace Sluice.Configuration;

public class ParameterBinderTests
{
    private static readonly Pipeline Forecaster = Pipeline.Define("stock-forecaster", p =>
    {
        Artifact<ForecastSettings> settings = p.Parameters<ForecastSettings>();
        p.Step("model").Executes(settings, (_, s) => s.Horizon);
    });

    [Fact]
    public void Bind_NestedObjectsListsEnumsAndDictionaries_AreBound()
    {
        IConfiguration configuration = Json("""
            {
              "Forecast": {
                "Model": { "Window": 60, "Alpha": 0.25, "Bands": [ { "Low": 1.5, "High": 2 }, { "Low": 3, "High": 4 } ] },
                "Tickers": [ "AAPL", "MSFT" ],
                "Frequency": "weekly",
                "Horizon": 14,
                "Weights": { "AAPL": 0.7, "MSFT": 0.3 },
                "Refresh": "00:05:00"
              }
            }
            """);

        IReadOnlyDictionary<string, object> values = ParameterBinder.Bind(Forecaster, configuration);

        var settings = Assert.IsType<ForecastSettings>(Assert.Single(values, kv => kv.Key == "Forecast").Value);
        Assert.Equal((60, 0.25), (settings.Model.Window, settings.Model.Alpha));
        Assert.Equal([(1.5, 2.0), (3.0, 4.0)], settings.Model.Bands.Select(b => (b.Low, b.High)));
        Assert.Equal(["AAPL", "MSFT"], settings.Tickers);
        Assert.Equal(Frequency.Weekly, settings.Frequency);
        Assert.Equal(14, settings.Horizon);
        Assert.Equal(new Dictionary<string, double> { ["AAPL"] = 0.7, ["MSFT"] = 0.3 }, settings.Weights);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Refresh);
    }

    [Fact]
    public void Bind_SectionMissing_GivesDefaults()
    {
        IReadOnlyDictionary<string, object> values = ParameterBinder.Bind(Forecaster, Json("{}"));

        var settings = (ForecastSettings)values["Forecast"];
        Assert.Equal((20, 30, Frequency.Daily), (settings.Model.Window, settings.Horizon, settings.Frequency));
    }

    [Fact]
    public void Bind_UnknownKeyIllTypedValuesAndRangeFailure_ReportsEveryOneInOneException()
    {
        IConfiguration configuration = Json("""
            {
              "Forecast": {
                "Model": { "Windw": 60, "Alpha": "fast" },
                "Frequency": "hourly",
                "Horizon": 400
              }
            }
            """);

        var e = Assert.Throws<PipelineDefinitionException>(() => ParameterBinder.Bind(Forecaster, configuration));

        Assert.Equal("stock-forecaster", e.Pipeline);
        Assert.StartsWith("4 problems in pipeline 'stock-forecaster':", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            [
                "Configuration key 'Forecast:Frequency' has the value 'hourly', which is not one of Daily, Weekly.",
                "Configuration key 'Forecast:Model:Alpha' has the value 'fast', which is not a number (use '.' as the decimal point).",
                "Configuration key 'Forecast:Model:Windw' is not a setting of ModelSettings. Did you mean 'Window'?",
                "Configuration key 'Forecast:Horizon' is invalid: The field Horizon must be between 1 and 90.",
            ],
            e.Problems);
    }

    [Fact]
    public void Bind_IllTypedValue_IsNotAlsoReportedAsInvalid()
    {
        // The ill-typed Window is never bound, so its [Range] must not be checked against the default.
        IConfiguration configuration = Json("""{ "Forecast": { "Model": { "Window": "wide" }, "Horizon": 0 } }""");

        var e = Assert.Throws<PipelineDefinitionException>(() => ParameterBinder.Bind(Forecaster, configuration));

        Assert.Equal(
            [
                "Configuration key 'Forecast:Model:Window' has the value 'wide', which is not a whole number.",
                "Configuration key 'Forecast:Horizon' is invalid: The field Horizon must be between 1 and 90.",
            ],
            e.Problems);
    }

    [Fact]
    public void Bind_NestedRangeFailure_NamesTheFullKeyPath()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() =>
            ParameterBinder.Bind(Forecaster, Json("""{ "Forecast": { "Model": { "Window": 1 } } }""")));

        Assert.Equal(["Configuration key 'Forecast:Model:Window' is invalid: The field Window must be between 2 and 365."], e.Problems);
    }

    [Fact]
    public void Bind_ProblemsInTwoSections_AreReportedTogether()
    {
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<ForecastSettings> forecast = p.Parameters<ForecastSettings>();
            Artifact<AlertSettings> alerts = p.Parameters<AlertSettings>();
            p.Step("a").Executes(forecast, alerts, (_, _, _) => 1);
        });
        IConfiguration configuration = Json("""{ "Forecast": { "Horizn": 3 }, "Alert": { "Webhook": "" } }""");

        var e = Assert.Throws<PipelineDefinitionException>(() => ParameterBinder.Bind(pipeline, configuration));

        Assert.Equal(
            [
                "Configuration key 'Forecast:Horizn' is not a setting of ForecastSettings. Did you mean 'Horizon'?",
                "Configuration key 'Alert:Webhook' is invalid: The Webhook field is required.",
            ],
            e.Problems);
    }

    [Fact]
    public void Bind_UnknownKeyNothingLike_ListsTheKnownKeys()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() =>
            ParameterBinder.Bind(Forecaster, Json("""{ "Forecast": { "Model": { "Smoothing": 3 } } }""")));

        Assert.Equal(["Configuration key 'Forecast:Model:Smoothing' is not a setting of ModelSettings. Known keys: Alpha, Bands, Window."], e.Problems);
    }

    [Fact]
    public void Bind_ValueWhereAnObjectIsExpected_IsReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() =>
            ParameterBinder.Bind(Forecaster, Json("""{ "Forecast": { "Model": "big" } }""")));

        Assert.Equal(
            ["Configuration key 'Forecast:Model' has the value 'big', but a ModelSettings object is expected: give it child keys instead."],
            e.Problems);
    }

    [Fact]
    public void Bind_EmptyValueForANumber_IsReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() =>
            ParameterBinder.Bind(Forecaster, Json("""{ "Forecast": { "Horizon": "" } }""")));

        Assert.Equal(
            ["Configuration key 'Forecast:Horizon' is empty, but a whole number is expected: give it a value or remove the key."],
            e.Problems);
    }

    [Fact]
    public void Bind_IllTypedListItemAndDuration_NameTheItemAndTheFormat()
    {
        IConfiguration configuration = Json("""
            { "Forecast": { "Model": { "Bands": [ { "Low": 1, "High": "x" } ] }, "Refresh": "5 minutes" } }
            """);

        var e = Assert.Throws<PipelineDefinitionException>(() => ParameterBinder.Bind(Forecaster, configuration));

        Assert.Equal(
            [
                "Configuration key 'Forecast:Model:Bands:0:High' has the value 'x', which is not a number (use '.' as the decimal point).",
                "Configuration key 'Forecast:Refresh' has the value '5 minutes', which is not a duration (use hh:mm:ss, for example 00:05:00).",
            ],
            e.Problems);
    }

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    public enum Frequency
    {
        Daily,
        Weekly,
    }

    public sealed class ForecastSettings
    {
        public ModelSettings Model { get; set; } = new();

        public List<string> Tickers { get; set; } = [];

        public Frequency Frequency { get; set; } = Frequency.Daily;

        [Range(1, 90)]
        public int Horizon { get; set; } = 30;

        public Dictionary<string, double> Weights { get; set; } = [];

        public TimeSpan Refresh { get; set; } = TimeSpan.FromHours(1);
    }

    public sealed class ModelSettings
    {
        [Range(2, 365)]
        public int Window { get; set; } = 20;

        public double Alpha { get; set; } = 0.5;

        public List<Band> Bands { get; set; } = [];
    }

    public sealed class Band
    {
        public double Low { get; set; }

        public double High { get; set; }
    }

    public sealed class AlertSettings
    {
        [Required]
        public string? Webhook { get; set; }
    }
}
