namespace StockForecaster.Models;

/// <summary>The outcome of one least-squares solve.</summary>
/// <param name="Status">Whether the coefficients are usable; when not, they are NaN.</param>
/// <param name="Coefficients">The coefficients, one per design column.</param>
/// <param name="Rss">The residual sum of squares.</param>
/// <param name="ConditionNumber">The 2-norm condition number of the design after scaling each column to unit length.</param>
/// <param name="Observations">The number of rows (observations) of the design.</param>
internal sealed record LeastSquaresFit(LeastSquaresStatus Status, double[] Coefficients, double Rss, double ConditionNumber, int Observations);
