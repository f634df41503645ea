using StockForecaster.Models;

namespace StockForecaster.Tests.Models;

/// <summary>AR estimation recovers a known process and chooses its true order.</summary>
public sealed class ArEstimatorTests
{
    private static readonly double[] Returns = Synthetic.ArReturns(20_000, 0.001, [0.5, -0.3], 0.01, seed: 20_240_601);

    [Fact]
    public void Fit_SimulatedAr2_RecoversCoefficientsInterceptAndSigma()
    {
        ArFit fit = ArEstimator.Fit(Returns, order: 2, firstTarget: 2);

        // Standard errors at n = 20,000 are about 0.007 for φ and 8e-5 for c; the tolerances are four of them.
        Assert.Equal(0.5, fit.Coefficients[0], 0.03);
        Assert.Equal(-0.3, fit.Coefficients[1], 0.03);
        Assert.Equal(0.001, fit.Intercept, 3e-4);
        Assert.Equal(0.01, fit.Sigma, 2e-4);
    }

    [Fact]
    public void SelectOrder_Bic_ChoosesTwoForAnAr2()
    {
        (int order, double criterion) = ArEstimator.SelectOrder(Returns, maxOrder: 5, "bic");

        Assert.Equal(2, order);
        Assert.Equal(ArEstimator.Fit(Returns, 2, firstTarget: 5).Bic, criterion, 1e-9);
    }

    [Fact]
    public void SelectOrder_Aic_ChoosesAtLeastTheTrueOrder()
    {
        (int order, _) = ArEstimator.SelectOrder(Returns, maxOrder: 5, "aic");

        Assert.InRange(order, 2, 5);
    }

    [Fact]
    public void SelectOrder_ConstantReturns_FindsNoOrder()
    {
        (int order, _) = ArEstimator.SelectOrder(new double[100], maxOrder: 3, "bic");

        Assert.Equal(0, order);
    }
}
