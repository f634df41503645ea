using MathNet.Numerics.Distributions;

namespace StockForecaster.Models;

/// <summary>Projects a fitted AR(p) h days ahead and turns the cumulative log return into prices with prediction intervals.</summary>
/// <remarks>
/// Mean path: r̂_{N+i} = c + Σ_j φ_j r̂_{N+i−j}, with observed returns wherever N+i−j ≤ N, and cumulative mean m_h = Σ_{i≤h} r̂_{N+i}.
/// Uncertainty: the return process has MA(∞) weights ψ_0 = 1, ψ_j = Σ_{i=1..min(j,p)} φ_i ψ_{j−i}; the log price, an ARIMA(p,1,0),
/// has weights Ψ_j = ψ_0 + … + ψ_j, so its h-day forecast error variance is var_h = σ² Σ_{j&lt;h} Ψ_j².
/// Price: point = P_N exp(m_h) (the median of the log-normal forecast), bounds = P_N exp(m_h ∓ z √var_h), z = Φ⁻¹((1 + level) / 2).
/// </remarks>
internal static class ArProjection
{
    /// <summary>Returns ψ_0..ψ_{h−1}, the MA(∞) weights of the AR(p) return process.</summary>
    internal static double[] PsiWeights(ReadOnlySpan<double> coefficients, int horizon)
    {
        var psi = new double[horizon];
        psi[0] = 1.0;
        for (int j = 1; j < horizon; j++)
        {
            double sum = 0;
            for (int i = 1; i <= Math.Min(j, coefficients.Length); i++)
            {
                sum += coefficients[i - 1] * psi[j - i];
            }

            psi[j] = sum;
        }

        return psi;
    }

    /// <summary>Returns the forecast price, lower and upper bound of each of the next <paramref name="horizon"/> days after the last of <paramref name="history"/>.</summary>
    /// <param name="history">The returns up to and including the last observed day; at least p of them.</param>
    /// <param name="intercept">The intercept c.</param>
    /// <param name="coefficients">The coefficients φ1..φp.</param>
    /// <param name="sigma">The residual standard deviation σ.</param>
    /// <param name="lastPrice">The last observed price P_N.</param>
    /// <param name="horizon">The number h of days forecast.</param>
    /// <param name="level">The interval coverage, for example 0.95.</param>
    internal static (double Price, double Lower, double Upper)[] Project(
        ReadOnlySpan<double> history,
        double intercept,
        ReadOnlySpan<double> coefficients,
        double sigma,
        double lastPrice,
        int horizon,
        double level)
    {
        int p = coefficients.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(history.Length, p, nameof(history));

        // path holds the last p observed returns followed by the forecast means, so the recursion reads both alike.
        var path = new double[p + horizon];
        history[^p..].CopyTo(path);
        double[] psi = PsiWeights(coefficients, horizon);
        double z = Normal.InvCDF(0.0, 1.0, (1.0 + level) / 2.0);

        var points = new (double, double, double)[horizon];
        double cumulativeMean = 0;
        double cumulativePsi = 0;
        double variance = 0;
        for (int h = 1; h <= horizon; h++)
        {
            double mean = intercept;
            for (int j = 1; j <= p; j++)
            {
                mean += coefficients[j - 1] * path[p + h - 1 - j];
            }

            path[p + h - 1] = mean;
            cumulativeMean += mean;
            cumulativePsi += psi[h - 1];
            variance += sigma * sigma * cumulativePsi * cumulativePsi;
            double spread = z * Math.Sqrt(variance);
            points[h - 1] = (lastPrice * Math.Exp(cumulativeMean), lastPrice * Math.Exp(cumulativeMean - spread), lastPrice * Math.Exp(cumulativeMean + spread));
        }

        return points;
    }
}
