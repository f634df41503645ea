namespace StockForecaster.Models;

/// <summary>Fits AR(p) models with intercept to a window of returns and chooses p by AIC or BIC.</summary>
internal static class ArEstimator
{
    /// <summary>Fits AR(<paramref name="order"/>) by QR least squares, regressing r_t on (1, r_{t−1}, …, r_{t−p}) for every t from <paramref name="firstTarget"/> to the end of the window.</summary>
    internal static ArFit Fit(ReadOnlySpan<double> window, int order, int firstTarget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstTarget, order);
        int n = window.Length - firstTarget;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, order + 2, nameof(window));

        // Column-major: column 0 is the intercept, column j holds the returns j days before each target.
        var design = new double[n * (order + 1)];
        design.AsSpan(0, n).Fill(1.0);
        for (int lag = 1; lag <= order; lag++)
        {
            window.Slice(firstTarget - lag, n).CopyTo(design.AsSpan(lag * n, n));
        }

        double[] target = window.Slice(firstTarget, n).ToArray();
        LeastSquaresFit fit = LeastSquares.Solve(design, n, order + 1, target);
        return new ArFit(fit.Status, order, fit.Coefficients[0], fit.Coefficients[1..], fit.Rss, n, fit.ConditionNumber);
    }

    /// <summary>Chooses the order in 1..<paramref name="maxOrder"/> with the smallest criterion; ties go to the smaller order, and 0 means no order could be fitted.</summary>
    /// <remarks>Every candidate regresses the same n = window − maxOrder targets, so the criteria compare models on identical data.</remarks>
    internal static (int Order, double Criterion) SelectOrder(ReadOnlySpan<double> window, int maxOrder, string criterion)
    {
        bool bic = string.Equals(criterion, "bic", StringComparison.Ordinal);
        int best = 0;
        double bestValue = double.NaN;
        for (int order = 1; order <= maxOrder; order++)
        {
            ArFit fit = Fit(window, order, maxOrder);
            double value = bic ? fit.Bic : fit.Aic;
            if (fit.Status == LeastSquaresStatus.Solved && !double.IsNaN(value) && (best == 0 || value < bestValue))
            {
                best = order;
                bestValue = value;
            }
        }

        return (best, bestValue);
    }
}
