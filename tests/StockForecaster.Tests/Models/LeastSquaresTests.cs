using MathNet.Numerics.LinearAlgebra;
using StockForecaster.Models;

namespace StockForecaster.Tests.Models;

/// <summary>Least squares and the AR regression built on it, against answers worked out by hand.</summary>
public sealed class LeastSquaresTests
{
    private static LeastSquaresFit SolveLine(double[] x, double[] y)
    {
        Matrix<double> design = Matrix<double>.Build.Dense(x.Length, 2, (i, j) => j == 0 ? 1.0 : x[i]);
        return LeastSquares.Solve(design, Vector<double>.Build.DenseOfArray(y));
    }

    [Fact]
    public void Solve_ExactLine_RecoversInterceptAndSlopeWithZeroResiduals()
    {
        double[] x = [-3, -1, 0, 2, 5, 8, 13];
        LeastSquaresFit fit = SolveLine(x, [.. x.Select(v => 2.5 - (0.75 * v))]);

        Assert.Equal(LeastSquaresStatus.Solved, fit.Status);
        Assert.Equal(2.5, fit.Coefficients[0], 1e-12);
        Assert.Equal(-0.75, fit.Coefficients[1], 1e-12);
        Assert.Equal(0.0, fit.Rss, 1e-20);
        Assert.Equal(7, fit.Observations);
    }

    [Fact]
    public void Solve_NoisyPoints_MatchesTheHandComputedRegression()
    {
        // x̄ = 2.5, ȳ = 3.5, Sxy = 4, Sxx = 5: slope 0.8, intercept 1.5; residuals −0.3, −0.1, 1.1, −0.7 give RSS 1.8.
        LeastSquaresFit fit = SolveLine([1, 2, 3, 4], [2, 3, 5, 4]);

        Assert.Equal(1.5, fit.Coefficients[0], 1e-12);
        Assert.Equal(0.8, fit.Coefficients[1], 1e-12);
        Assert.Equal(1.8, fit.Rss, 1e-12);
    }

    [Fact]
    public void Solve_ZeroColumn_IsSingularWithInfiniteConditionNumber()
    {
        LeastSquaresFit fit = SolveLine([0, 0, 0, 0], [1, 2, 3, 4]);

        Assert.Equal(LeastSquaresStatus.IllConditioned, fit.Status);
        Assert.True(double.IsPositiveInfinity(fit.ConditionNumber));
        Assert.All(fit.Coefficients, c => Assert.True(double.IsNaN(c)));
    }

    [Fact]
    public void Solve_NearlyCollinearColumns_IsIllConditioned()
    {
        // The x column equals the intercept column up to 1e-9, far past the 1e6 condition limit.
        LeastSquaresFit fit = SolveLine([1, 1 + 1e-9, 1, 1 - 1e-9], [1, 2, 3, 4]);

        Assert.Equal(LeastSquaresStatus.IllConditioned, fit.Status);
        Assert.True(fit.ConditionNumber > LeastSquares.MaxConditionNumber);
    }

    [Fact]
    public void Solve_ScaleGapBetweenColumns_IsNotMistakenForIllConditioning()
    {
        // Returns of order 1e-6 beside an intercept column: badly scaled, but the equilibrated condition number is small.
        LeastSquaresFit fit = SolveLine([1e-6, -2e-6, 3e-6, 0.5e-6], [1, 2, 3, 4]);

        Assert.Equal(LeastSquaresStatus.Solved, fit.Status);
        Assert.True(fit.ConditionNumber < 10);
    }

    [Fact]
    public void Solve_NaNInTarget_ReportsNonFiniteInput()
    {
        LeastSquaresFit fit = SolveLine([1, 2, 3], [1, double.NaN, 3]);

        Assert.Equal(LeastSquaresStatus.NonFiniteInput, fit.Status);
    }

    [Fact]
    public void ArFit_RegressesEachReturnOnItsLag()
    {
        // Targets (2, 4, 3, 5) on lags (1, 2, 4, 3): x̄ = 2.5, ȳ = 3.5, Sxy = 2, Sxx = 5, so φ = 0.4 and c = 2.5.
        ArFit fit = ArEstimator.Fit([1, 2, 4, 3, 5], order: 1, firstTarget: 1);

        Assert.Equal(2.5, fit.Intercept, 1e-12);
        Assert.Equal(0.4, fit.Coefficients[0], 1e-12);
        Assert.Equal(4, fit.Targets);
    }

    [Fact]
    public void ArFit_CriteriaAndSigma_FollowTheDocumentedFormulas()
    {
        var fit = new ArFit(LeastSquaresStatus.Solved, Order: 1, Intercept: 1.5, Coefficients: [0.8], Rss: 1.8, Targets: 4, ConditionNumber: 1);

        Assert.Equal((4 * Math.Log(1.8 / 4)) + 4, fit.Aic, 1e-12);
        Assert.Equal((4 * Math.Log(1.8 / 4)) + (2 * Math.Log(4)), fit.Bic, 1e-12);
        Assert.Equal(Math.Sqrt(1.8 / 2), fit.Sigma, 1e-12);
    }
}
