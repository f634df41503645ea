using StockForecaster.Models;
using Xunit.Abstractions;

namespace StockForecaster.Tests.Models;


/// <summary>The bundled S&amp;P 500 series with the default settings: no divergence and plausible numbers.</summary>
public sealed class Sp500Tests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_DefaultSettings_DoesNotDivergeAndGivesPlausibleNumbers()
    {
        ModelReport report = Forecaster.Fit(Synthetic.Clean(Sp500.Series), new ModelSettings(), new TestCalendar(), null);

        TickerModel model = Assert.Single(report.Tickers);
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(model));
        Assert.InRange(model.Order, 1, 5);
        Assert.Equal(new DateOnly(2020, 4, 17), model.FittedTo);
        Assert.Equal(500, model.Observations);

        // Daily S&P 500 log returns: σ of about 1–2 % over 2018–2020, forecasts that barely beat or trail the random walk.
        Assert.InRange(model.Sigma, 0.005, 0.03);
        Assert.InRange(model.Ar.TheilU, 0.9, 1.1);
        Assert.InRange(model.HistoricalMean.TheilU, 0.95, 1.05);
        Assert.Equal(1.0, model.RandomWalk.TheilU);
        Assert.InRange(model.Ar.DirectionalAccuracy, 0.4, 0.65);
        Assert.Equal(250, model.Ar.Forecasts);

        // The week after Friday 2020-04-17, around the last close of 2874.56, widening with the horizon.
        Assert.Equal(
            [new DateOnly(2020, 4, 20), new(2020, 4, 21), new(2020, 4, 22), new(2020, 4, 23), new(2020, 4, 24)],
            model.Forecast.Select(p => p.Date));
        Assert.All(model.Forecast, p => Assert.InRange(p.Price, 2700, 3050));
        Assert.All(model.Forecast, p => Assert.True(p.Lower < p.Price && p.Price < p.Upper));
        Assert.All(model.Forecast.Zip(model.Forecast.Skip(1)), pair => Assert.True(pair.Second.Upper - pair.Second.Lower > pair.First.Upper - pair.First.Lower));
    }
}
