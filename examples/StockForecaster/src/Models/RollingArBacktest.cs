using System.Runtime.CompilerServices;

namespace StockForecaster.Models;

/// <summary>The walk-forward (rolling-origin) backtest: one-day-ahead forecasts of the last test days, each from an AR(p) fitted on the preceding window.</summary>
/// <remarks>
/// The normal equations XᵀX β = Xᵀy are kept as running sums that slide with the window (add the newest target, drop the oldest),
/// so a refit costs O(p²) for the update plus O(p³) for a Cholesky solve of the (p+1)×(p+1) system instead of O(W p²).
/// Sliding sums accumulate rounding error with every add and subtract, of the size of the largest sum seen, so they are rebuilt from scratch
/// every <see cref="RecomputeEvery"/> days, and sooner when a diagonal entry has fallen below <see cref="CancellationLimit"/> of its peak since
/// the last rebuild (large returns leaving the window), where that absolute error would be large relative to what remains.
/// All work happens in stack buffers: no heap allocation per refit.
/// </remarks>
internal static class RollingArBacktest
{
    /// <summary>How many slides the running sums make before they are rebuilt from scratch; a rebuild costs about as much as 250 slides of a 500-day window, so this keeps rebuilding to a fraction of the work while bounding the drift to a few hundred roundings.</summary>
    internal const int RecomputeEvery = 256;

    /// <summary>The fall of a diagonal entry of XᵀX from its peak since the last rebuild that forces an early rebuild; it caps the relative drift of what remains near 256 × 2⁻⁵³ / 1e-6 ≈ 3e-8.</summary>
    internal const double CancellationLimit = 1e-6;

    /// <summary>The largest order the backtest accepts, which bounds its stack buffers; the settings allow 20.</summary>
    internal const int MaxOrder = 30;

    /// <summary>The smallest Cholesky pivot, relative to its diagonal entry, that is still trusted; it is the squared sine of the angle between a column and the span of the earlier ones, so 1e-12 matches the condition-number limit of 1e6 of <see cref="LeastSquares.MaxConditionNumber"/>.</summary>
    internal const double MinPivotRatio = 1e-12;

    /// <summary>Forecasts returns[^testDays..] one day ahead with AR(<paramref name="order"/>) and with the window mean, refitting every <paramref name="refitEvery"/> days on the <paramref name="window"/> returns before the forecast day.</summary>
    /// <param name="returns">The log returns; the first test day is returns.Length − testDays and needs window returns before it.</param>
    /// <param name="order">The AR order p.</param>
    /// <param name="window">The number of returns each fit sees (its regression has window − p targets).</param>
    /// <param name="testDays">How many final returns are forecast.</param>
    /// <param name="refitEvery">How many days a fit is used for; between refits, forecasts use the last coefficients with the newest lags.</param>
    /// <param name="arForecasts">Receives the AR forecast of each test day.</param>
    /// <param name="meanForecasts">Receives the historical-mean forecast of each test day (refitted on the same days as the AR model).</param>
    /// <param name="coefficientLog">Empty, or receives the (c, φ1..φp) in force on each test day, p + 1 values per day.</param>
    /// <remarks>Compiled fully optimized from the first call: a run calls it once per ticker, too few times for tiered compilation to promote it in time.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BacktestOutcome Run(
        ReadOnlySpan<double> returns,
        int order,
        int window,
        int testDays,
        int refitEvery,
        Span<double> arForecasts,
        Span<double> meanForecasts,
        Span<double> coefficientLog)
    {
        int k = order + 1;
        int firstDay = returns.Length - testDays;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MaxOrder);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstDay, window, nameof(returns));
        ArgumentOutOfRangeException.ThrowIfLessThan(window - order, k + 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(arForecasts.Length, testDays, nameof(arForecasts));
        ArgumentOutOfRangeException.ThrowIfLessThan(meanForecasts.Length, testDays, nameof(meanForecasts));

        // k is at most MaxOrder + 1, so these stay within a few kilobytes of stack.
        Span<double> xtx = stackalloc double[k * k];
        Span<double> xty = stackalloc double[k];
        Span<double> factor = stackalloc double[k * k];
        Span<double> solution = stackalloc double[k];
        Span<double> beta = stackalloc double[k];
        Span<double> peak = stackalloc double[k];
        beta.Clear();

        double windowSum = 0;
        double mean = 0;
        int sinceRebuild = 0;
        int singular = 0;
        int firstSingular = -1;
        for (int day = 0; day < testDays; day++)
        {
            int t = firstDay + day;

            // Invariant after this block: the sums cover the targets t − window + p .. t − 1 and the window t − window .. t − 1.
            if (day == 0 || sinceRebuild == RecomputeEvery)
            {
                Rebuild(returns, t, order, window, xtx, xty, peak, out windowSum);
                sinceRebuild = 0;
            }
            else
            {
                Accumulate(returns, t - 1, order, 1.0, xtx, xty);
                Accumulate(returns, t - 1 - window + order, order, -1.0, xtx, xty);
                windowSum += returns[t - 1] - returns[t - 1 - window];
                sinceRebuild++;
                for (int j = 0; j < k; j++)
                {
                    peak[j] = Math.Max(peak[j], xtx[(j * k) + j]);
                }
            }

            if (day % refitEvery == 0)
            {
                if (sinceRebuild > 0 && HasCancelled(xtx, peak, k))
                {
                    Rebuild(returns, t, order, window, xtx, xty, peak, out windowSum);
                    sinceRebuild = 0;
                }

                if (SolveCholesky(xtx, xty, factor, solution, k))
                {
                    solution.CopyTo(beta);
                }
                else
                {
                    singular++;
                    if (firstSingular < 0)
                    {
                        firstSingular = day;
                    }
                }

                mean = windowSum / window;
            }

            double forecast = beta[0];
            for (int lag = 1; lag <= order; lag++)
            {
                forecast += beta[lag] * returns[t - lag];
            }

            arForecasts[day] = forecast;
            meanForecasts[day] = mean;
            if (!coefficientLog.IsEmpty)
            {
                beta.CopyTo(coefficientLog.Slice(day * k, k));
            }
        }

        return new BacktestOutcome(singular, firstSingular);
    }

    private static void Rebuild(ReadOnlySpan<double> returns, int end, int order, int window, Span<double> xtx, Span<double> xty, Span<double> peak, out double windowSum)
    {
        xtx.Clear();
        xty.Clear();
        for (int target = end - window + order; target < end; target++)
        {
            Accumulate(returns, target, order, 1.0, xtx, xty);
        }

        int k = order + 1;
        for (int j = 0; j < k; j++)
        {
            peak[j] = xtx[(j * k) + j];
        }

        windowSum = 0;
        for (int i = end - window; i < end; i++)
        {
            windowSum += returns[i];
        }
    }

    private static bool HasCancelled(ReadOnlySpan<double> xtx, ReadOnlySpan<double> peak, int k)
    {
        for (int j = 0; j < k; j++)
        {
            if (xtx[(j * k) + j] < CancellationLimit * peak[j])
            {
                return true;
            }
        }

        return false;
    }

    // Adds (sign 1) or removes (sign −1) the row x = (1, r[t−1], …, r[t−p]) with target r[t]; only the upper triangle of XᵀX is kept.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(ReadOnlySpan<double> returns, int target, int order, double sign, Span<double> xtx, Span<double> xty)
    {
        int k = order + 1;
        double y = returns[target];
        for (int a = 0; a < k; a++)
        {
            double xa = a == 0 ? sign : sign * returns[target - a];
            xty[a] += xa * y;
            int row = a * k;
            xtx[row + a] += xa * (a == 0 ? 1.0 : returns[target - a]);
            for (int b = a + 1; b < k; b++)
            {
                xtx[row + b] += xa * returns[target - b];
            }
        }
    }

    // Solves A x = b for symmetric A given by its upper triangle: A = L Lᵀ, then L z = b and Lᵀ x = z.
    // Returns false, leaving x unspecified, when a pivot is not positive enough to trust (singular, ill-conditioned or NaN).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SolveCholesky(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> l, Span<double> x, int k)
    {
        for (int j = 0; j < k; j++)
        {
            double pivot = a[(j * k) + j];
            for (int m = 0; m < j; m++)
            {
                pivot -= l[(j * k) + m] * l[(j * k) + m];
            }

            if (!(pivot > MinPivotRatio * a[(j * k) + j]) || !double.IsFinite(pivot))
            {
                return false;
            }

            double diagonal = Math.Sqrt(pivot);
            l[(j * k) + j] = diagonal;
            for (int i = j + 1; i < k; i++)
            {
                double sum = a[(j * k) + i];
                for (int m = 0; m < j; m++)
                {
                    sum -= l[(i * k) + m] * l[(j * k) + m];
                }

                l[(i * k) + j] = sum / diagonal;
            }
        }

        for (int i = 0; i < k; i++)
        {
            double sum = b[i];
            for (int m = 0; m < i; m++)
            {
                sum -= l[(i * k) + m] * x[m];
            }

            x[i] = sum / l[(i * k) + i];
        }

        for (int i = k - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int m = i + 1; m < k; m++)
            {
                sum -= l[(m * k) + i] * x[m];
            }

            x[i] = sum / l[(i * k) + i];
        }

        return true;
    }
}
