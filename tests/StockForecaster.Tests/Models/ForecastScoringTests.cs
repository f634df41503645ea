using StockForecaster.Models;

namespace StockForecaster.Tests.Models;

/// <summary>Forecast metrics against values worked out by hand.</summary>
public sealed class ForecastScoringTests
{
    private static readonly double[] Actual = [0.01, -0.02, 0.03, 0.0];
    private static readonly double[] Forecast = [0.02, -0.01, -0.01, 0.01];

    [Fact]
    public void Score_TinySeries_MatchesHandComputedMetrics()
    {
        // Errors −0.01, −0.01, 0.04, −0.01: squares sum to 19e-4 and absolutes to 0.07.
        // Directions: hit, hit, wrong sign, zero actual (a miss). Random walk: squares of actuals sum to 14e-4.
        double randomWalkRmse = ForecastScoring.RandomWalkRmse(Actual);
        ForecastMetrics metrics = ForecastScoring.Score(Actual, Forecast, randomWalkRmse);

        Assert.Equal(Math.Sqrt(14e-4 / 4), randomWalkRmse, 1e-15);
        Assert.Equal(Math.Sqrt(19e-4 / 4), metrics.Rmse, 1e-15);
        Assert.Equal(0.0175, metrics.Mae, 1e-15);
        Assert.Equal(0.5, metrics.DirectionalAccuracy);
        Assert.Equal(Math.Sqrt(19.0 / 14.0), metrics.TheilU, 1e-12);
        Assert.Equal(4, metrics.Forecasts);
    }

    [Fact]
    public void Score_RandomWalk_HasTheilUExactlyOneAndNoDirection()
    {
        double randomWalkRmse = ForecastScoring.RandomWalkRmse(Actual);
        ForecastMetrics metrics = ForecastScoring.Score(Actual, new double[4], randomWalkRmse);

        Assert.Equal(1.0, metrics.TheilU);
        Assert.Equal(0.0, metrics.DirectionalAccuracy);
        Assert.Equal(0.015, metrics.Mae, 1e-15);
    }

    [Fact]
    public void Score_PerfectForecast_HasZeroErrorsAndFullDirection()
    {
        ForecastMetrics metrics = ForecastScoring.Score([0.01, -0.02], [0.01, -0.02], ForecastScoring.RandomWalkRmse([0.01, -0.02]));

        Assert.Equal(0.0, metrics.Rmse);
        Assert.Equal(0.0, metrics.TheilU);
        Assert.Equal(1.0, metrics.DirectionalAccuracy);
    }
}
