namespace StockForecaster.Models;

/// <summary>Scores one-day-ahead log-return forecasts against what happened.</summary>
internal static class ForecastScoring
{
    /// <summary>Returns the root mean squared error √(Σ (a_t − f_t)² / T).</summary>
    internal static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        double sum = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            double error = actual[t] - forecast[t];
            sum += error * error;
        }

        return Math.Sqrt(sum / actual.Length);
    }

    /// <summary>Returns the RMSE of the random walk, which forecasts a zero return: √(Σ a_t² / T).</summary>
    internal static double RandomWalkRmse(ReadOnlySpan<double> actual)
    {
        double sum = 0;
        foreach (double value in actual)
        {
            sum += value * value;
        }

        return Math.Sqrt(sum / actual.Length);
    }

    /// <summary>Scores forecasts: RMSE, MAE = Σ |a_t − f_t| / T, directional accuracy = #{t : sign f_t = sign a_t ≠ 0} / T, and Theil's U = RMSE / <paramref name="randomWalkRmse"/>.</summary>
    /// <remarks>When the random walk is perfect (every actual return zero), U is 1 for a perfect forecast and +∞ otherwise.</remarks>
    internal static ForecastMetrics Score(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double randomWalkRmse)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(forecast.Length, actual.Length, nameof(forecast));
        ArgumentOutOfRangeException.ThrowIfZero(actual.Length, nameof(actual));
        double absolute = 0;
        int hits = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            absolute += Math.Abs(actual[t] - forecast[t]);

            // A zero on either side is a miss: the random walk never calls a direction, so it scores 0.
            if ((actual[t] > 0 && forecast[t] > 0) || (actual[t] < 0 && forecast[t] < 0))
            {
                hits++;
            }
        }

        double rmse = Rmse(actual, forecast);
        double theilU = randomWalkRmse > 0 ? rmse / randomWalkRmse : rmse == 0 ? 1.0 : double.PositiveInfinity;
        return new ForecastMetrics(rmse, absolute / actual.Length, (double)hits / actual.Length, theilU, actual.Length);
    }
}
