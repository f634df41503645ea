using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Tests.Models;


/// <summary>Every cause of model divergence is detected, named and given its numbers, and all diverged tickers are listed in one exception.</summary>
public sealed class DivergenceTests
{
    private static readonly TestCalendar Calendar = new();

    private static ModelSettings Small(int order = 1) => new() { Order = order, WindowDays = 100, TestDays = 100 };

    private static PriceSeries Ar1(string ticker, double phi, int seed, int returns = 200) =>
        Synthetic.Series(ticker, Synthetic.Prices(Synthetic.ArReturns(returns, 0.0003, [phi], 0.01, seed)));

    private static ModelDivergedException Diverges(CleanPrices prices, ModelSettings settings, ModelReport? previous = null) =>
        Assert.Throws<ModelDivergedException>(() => Forecaster.Fit(prices, settings, Calendar, previous));

    [Fact]
    public void Fit_NaNPrice_DivergesAsNonFiniteNamingTheDay()
    {
        double[] prices = Synthetic.Prices(Synthetic.ArReturns(200, 0, [0.1], 0.01, seed: 1));
        prices[180] = double.NaN;
        PriceSeries series = Synthetic.Series("BAD", prices);

        Divergence divergence = Assert.Single(Diverges(Synthetic.Clean(series), Small()).Divergences);

        Assert.Equal(DivergenceCause.NonFiniteParameters, divergence.Cause);
        Assert.Equal("non-finite", divergence.Code);
        Assert.Contains(series.Dates[180].ToString("yyyy-MM-dd"), divergence.Detail, StringComparison.Ordinal);
        Assert.Contains("2 of the 200 returns", divergence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFinite_ForcedNaNCoefficient_IsReportedWithTheValues()
    {
        Divergence? divergence = DivergenceChecks.NonFinite("X", 0.001, [0.2, double.NaN], 0.01, -900);

        Assert.Equal(DivergenceCause.NonFiniteParameters, divergence?.Cause);
        Assert.Contains("φ = [0.2, NaN]", divergence?.Detail, StringComparison.Ordinal);
        Assert.Null(DivergenceChecks.NonFinite("X", 0.001, [0.2, -0.1], 0.01, -900));
    }

    [Fact]
    public void Fit_ExplosiveTrend_DivergesAsNonStationary()
    {
        // r_t = 0.001 + 1.03 r_{t−1} + noise: returns and prices run away, and the fitted φ exceeds 1.
        double[] returns = Synthetic.ArReturns(200, 0.001, [1.03], 0.0005, seed: 2, burnIn: 0);
        PriceSeries series = Synthetic.Series("BOOM", Synthetic.Prices(returns));

        ModelDivergedException exception = Diverges(Synthetic.Clean(series), Small());

        Divergence divergence = Assert.Single(exception.Divergences, d => d.Cause == DivergenceCause.NonStationary);
        Assert.Contains("|z| = 0.97", divergence.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1.0 }, true)] // unit root: z = 1
    [InlineData(new[] { -1.01 }, true)] // explosive oscillation
    [InlineData(new[] { 0.5, 0.5 }, true)] // 1 − 0.5z − 0.5z² has the root z = 1
    [InlineData(new[] { 1.2, -0.2 }, true)] // roots z = 1 and z = 5
    [InlineData(new[] { 0.0, 0.0, 1.1 }, true)] // three roots of modulus 1.1^(−1/3) < 1
    [InlineData(new[] { 0.5, -0.3 }, false)]
    [InlineData(new[] { 0.99 }, false)]
    [InlineData(new[] { 0.0, 0.0 }, false)]
    public void NonStationary_ForcedCoefficients_FlagsRootsOnOrInsideTheUnitCircle(double[] coefficients, bool diverged)
    {
        Divergence? divergence = DivergenceChecks.NonStationary("X", coefficients);

        Assert.Equal(diverged, divergence is not null);
    }

    [Fact]
    public void LargestCompanionModulus_Ar2_IsTheReciprocalOfTheSmallestRoot()
    {
        // 1 − 1.2z + 0.2z² = (1 − z)(1 − 0.2z): roots 1 and 5, so the eigenvalues are 1 and 0.2.
        Assert.Equal(1.0, DivergenceChecks.LargestCompanionModulus([1.2, -0.2]), 1e-12);

        // Complex pair: 1 − z + 0.5z² has roots 1 ± i, |z| = √2, so the modulus is 1/√2.
        Assert.Equal(1 / Math.Sqrt(2), DivergenceChecks.LargestCompanionModulus([1.0, -0.5]), 1e-12);
    }

    [Fact]
    public void Fit_RegimeFlip_DivergesAsWorseThanTheRandomWalk()
    {
        // Strong mean reversion for the first window, then strong momentum for the test days: each early forecast has the wrong sign.
        double[] returns = [.. Synthetic.ArReturns(100, 0, [-0.8], 0.01, seed: 3), .. Synthetic.ArReturns(100, 0, [0.8], 0.01, seed: 4)];
        PriceSeries series = Synthetic.Series("FLIP", Synthetic.Prices(returns));

        ModelDivergedException exception = Diverges(Synthetic.Clean(series), Small());

        Divergence divergence = Assert.Single(exception.Divergences);
        Assert.Equal(DivergenceCause.WorseThanRandomWalk, divergence.Cause);
        Assert.Matches(@"^Theil's U 1\.\d+ > 1\.1 \(1 \+ margin 0\.1\): backtest RMSE 0\.0\d+ against the random walk's 0\.0\d+ over 100 days\.$", divergence.Detail);
    }

    [Fact]
    public void Fit_CoefficientJumpFromPreviousGood_DivergesNamingOldAndNew()
    {
        CleanPrices prices = Synthetic.Clean(Ar1("JMP", 0.3, seed: 5));
        ModelReport good = Forecaster.Fit(prices, Small(), Calendar, null);
        TickerModel fitted = good.Tickers[0];
        double phi = fitted.Coefficients[0];
        ModelReport previous = good with { Tickers = [fitted with { Coefficients = [phi - 0.6] }] };

        Divergence divergence = Assert.Single(Diverges(prices, Small(), previous).Divergences);

        Assert.Equal(DivergenceCause.CoefficientJump, divergence.Cause);
        Assert.StartsWith(FormattableString.Invariant($"φ1 moved from {phi - 0.6:G4} to {phi:G4} (|Δ| 0.6 > 0.5)"), divergence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CoefficientWithinJump_IsAccepted()
    {
        CleanPrices prices = Synthetic.Clean(Ar1("JMP", 0.3, seed: 5));
        ModelReport good = Forecaster.Fit(prices, Small(), Calendar, null);
        ModelReport previous = good with { Tickers = [good.Tickers[0] with { Coefficients = [good.Tickers[0].Coefficients[0] + 0.4] }] };

        Assert.Equal(good.Tickers[0].Coefficients, Forecaster.Fit(prices, Small(), Calendar, previous).Tickers[0].Coefficients);
    }

    [Fact]
    public void CoefficientJump_DifferentOrders_CompareMissingCoefficientsAsZero()
    {
        TickerModel previous = new(
            "X", 1, 0, [0.1], 0.01, 0, 100, default, default, new(0, 0, 0, 1, 1), new(0, 0, 0, 1, 1), new(0, 0, 0, 1, 1), []);

        Divergence? divergence = DivergenceChecks.CoefficientJump("X", [0.1, 0.7], previous, 0.5);

        Assert.StartsWith("φ2 moved from 0 to 0.7", divergence?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ConstantPrices_DivergesAsSingularDesign()
    {
        PriceSeries series = Synthetic.Series("FLAT", Enumerable.Repeat(42.0, 201).ToArray());

        Divergence divergence = Assert.Single(Diverges(Synthetic.Clean(series), Small(order: 0)).Divergences);

        Assert.Equal(DivergenceCause.IllConditioned, divergence.Cause);
        Assert.Contains("condition number Infinity > 1E+06", divergence.Detail, StringComparison.Ordinal);
        Assert.Contains("singular", divergence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_FlatStretchBeforeTheBacktest_DivergesNamingTheSingularRefits()
    {
        // The first 100 returns are zero, so the refits for test days 0 and 1 have an all-zero lag column; the final window is healthy.
        double[] returns = [.. new double[100], .. Synthetic.ArReturns(100, 0.0003, [0.2], 0.01, seed: 8)];
        PriceSeries series = Synthetic.Series("HALT", Synthetic.Prices(returns));

        // Models fitted on windows that are nearly all zero also forecast badly, so Theil's U is reported as well.
        ModelDivergedException exception = Diverges(Synthetic.Clean(series), Small());

        Divergence divergence = Assert.Single(exception.Divergences, d => d.Cause == DivergenceCause.IllConditioned);
        Assert.Equal(
            $"2 of 100 backtest refits had singular or ill-conditioned normal equations (Cholesky pivot below 1E-12 of its diagonal), the first for {series.Dates[101]:yyyy-MM-dd}.",
            divergence.Detail);
    }

    [Fact]
    public void Fit_SeveralBadTickers_ListsEveryOneInOrderAndDerivesFromDataValidation()
    {
        double[] withNaN = Synthetic.Prices(Synthetic.ArReturns(200, 0, [0.1], 0.01, seed: 6));
        withNaN[^1] = double.PositiveInfinity;
        CleanPrices prices = Synthetic.Clean(
            Synthetic.Series("FLAT", Enumerable.Repeat(10.0, 201).ToArray()),
            Ar1("GOOD", 0.2, seed: 7),
            Synthetic.Series("INF", withNaN));

        ModelDivergedException exception = Diverges(prices, Small());

        Assert.IsAssignableFrom<Sluice.Definitions.DataValidationException>(exception);
        Assert.Equal(["FLAT", "INF"], exception.Divergences.Select(d => d.Ticker));
        Assert.StartsWith("The model diverged for 2 of 3 tickers, so no model was published:\n  FLAT: ill-conditioned: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("\n  INF: non-finite: the log return on ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("GOOD", exception.Message, StringComparison.Ordinal);
    }
}
