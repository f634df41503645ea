using StockForecaster.Data;

namespace StockForecaster.Tests.Models;

/// <summary>Seeded synthetic return and price series for tests with known answers.</summary>
internal static class Synthetic
{
    /// <summary>Returns standard normal draws from a seeded generator by the Box–Muller transform.</summary>
    public static double[] Normals(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            // 1 − U keeps the logarithm's argument in (0, 1].
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < count)
            {
                values[i + 1] = radius * Math.Sin(angle);
            }
        }

        return values;
    }

    /// <summary>Simulates r_t = c + Σ φ_j r_{t−j} + σ ε_t, discarding a burn-in so the start values do not matter.</summary>
    public static double[] ArReturns(int count, double intercept, double[] coefficients, double sigma, int seed, int burnIn = 500)
    {
        double[] shocks = Normals(count + burnIn, seed);
        var path = new double[count + burnIn];
        for (int t = 0; t < path.Length; t++)
        {
            double value = intercept + (sigma * shocks[t]);
            for (int j = 1; j <= coefficients.Length && t - j >= 0; j++)
            {
                value += coefficients[j - 1] * path[t - j];
            }

            path[t] = value;
        }

        return path[burnIn..];
    }

    /// <summary>Returns the prices p_0 = start, p_i = p_{i−1} exp(r_i), one more than there are returns.</summary>
    public static double[] Prices(double[] returns, double start = 100.0)
    {
        var prices = new double[returns.Length + 1];
        prices[0] = start;
        for (int i = 0; i < returns.Length; i++)
        {
            prices[i + 1] = prices[i] * Math.Exp(returns[i]);
        }

        return prices;
    }

    /// <summary>Returns the first <paramref name="count"/> weekdays from 2000-01-03 (a Monday).</summary>
    public static DateOnly[] Weekdays(int count)
    {
        var calendar = new TestCalendar();
        var dates = new DateOnly[count];
        dates[0] = new DateOnly(2000, 1, 3);
        for (int i = 1; i < count; i++)
        {
            dates[i] = calendar.NextTradingDay(dates[i - 1]);
        }

        return dates;
    }

    /// <summary>Builds a series whose every price column is <paramref name="prices"/>, dated on consecutive weekdays.</summary>
    public static PriceSeries Series(string ticker, double[] prices, DateOnly[]? dates = null) => new()
    {
        Ticker = ticker,
        Dates = dates ?? Weekdays(prices.Length),
        Open = prices,
        High = prices,
        Low = prices,
        Close = prices,
        AdjClose = prices,
        Volume = new long[prices.Length],
    };

    /// <summary>Wraps series as the clean step's output.</summary>
    public static CleanPrices Clean(params PriceSeries[] series) => new(series, [], "fail");
}
