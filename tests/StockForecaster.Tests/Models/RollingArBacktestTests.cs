using StockForecaster.Models;

namespace StockForecaster.Tests.Models;

/// <summary>The rolling-sum backtest gives what a from-scratch QR fit gives at every refit.</summary>
public sealed class RollingArBacktestTests
{
    private static void AssertClose(double expected, double actual, double relative)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(2, 5)]
    public void Run_EveryRefit_AgreesWithAFromScratchQrFit(int order, int refitEvery)
    {
        // 600 test days span two rebuilds of the running sums and the sliding between them.
        const int window = 200;
        const int testDays = 600;
        Assert.True(testDays > 2 * RollingArBacktest.RecomputeEvery);
        double[] returns = Synthetic.ArReturns(window + testDays, 0.0004, [0.3, -0.2, 0.1], 0.012, seed: 7);
        int k = order + 1;
        var ar = new double[testDays];
        var mean = new double[testDays];
        var log = new double[testDays * k];

        BacktestOutcome outcome = RollingArBacktest.Run(returns, order, window, testDays, refitEvery, ar, mean, log);

        Assert.Equal(0, outcome.SingularRefits);
        double[] beta = [];
        double windowMean = 0;
        for (int day = 0; day < testDays; day++)
        {
            int t = window + day;
            if (day % refitEvery == 0)
            {
                ArFit scratch = ArEstimator.Fit(returns.AsSpan(t - window, window), order, order);
                beta = [scratch.Intercept, .. scratch.Coefficients];
                windowMean = returns.AsSpan(t - window, window).ToArray().Average();
            }

            for (int j = 0; j < k; j++)
            {
                AssertClose(beta[j], log[(day * k) + j], 1e-9);
            }

            double forecast = beta[0];
            for (int lag = 1; lag <= order; lag++)
            {
                forecast += beta[lag] * returns[t - lag];
            }

            AssertClose(forecast, ar[day], 1e-10);
            AssertClose(windowMean, mean[day], 1e-12);
        }
    }

    [Fact]
    public void Run_AllocatesNothingOnTheHeap()
    {
        double[] returns = Synthetic.ArReturns(1_500, 0.0002, [0.05], 0.015, seed: 12);
        var ar = new double[1_000];
        var mean = new double[1_000];
        RollingArBacktest.Run(returns, 2, 500, 1_000, 1, ar, mean, []);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RollingArBacktest.Run(returns, 2, 500, 1_000, 1, ar, mean, []);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Run_ManyThousandSlides_StaysWithinRoundingOfScratch()
    {
        // A long, volatile run with a short window: without the periodic rebuild the sums would drift furthest here.
        const int window = 60;
        const int testDays = 20_000;
        double[] returns = Synthetic.ArReturns(window + testDays, 0.002, [0.6], 0.05, seed: 11);
        var log = new double[testDays * 2];

        RollingArBacktest.Run(returns, 1, window, testDays, 1, new double[testDays], new double[testDays], log);

        for (int day = testDays - 100; day < testDays; day++)
        {
            ArFit scratch = ArEstimator.Fit(returns.AsSpan(window + day - window, window), 1, 1);
            AssertClose(scratch.Intercept, log[day * 2], 1e-9);
            AssertClose(scratch.Coefficients[0], log[(day * 2) + 1], 1e-9);
        }
    }

    [Fact]
    public void Run_VolatilityCollapse_RebuildsBeforeCancellationShows()
    {
        // Returns 1,000 times larger leave the window: XᵀX falls a million-fold and the sliding sums' absolute error would dominate.
        const int window = 100;
        double[] loud = Synthetic.ArReturns(300, 0, [0.4], 0.1, seed: 5);
        double[] quiet = Synthetic.ArReturns(300, 0, [-0.4], 0.0001, seed: 6);
        double[] returns = [.. loud, .. quiet];
        var log = new double[500 * 2];

        BacktestOutcome outcome = RollingArBacktest.Run(returns, 1, window, 500, 1, new double[500], new double[500], log);

        Assert.Equal(0, outcome.SingularRefits);
        for (int day = 0; day < 500; day++)
        {
            ArFit scratch = ArEstimator.Fit(returns.AsSpan(day, window), 1, 1);
            AssertClose(scratch.Coefficients[0], log[(day * 2) + 1], 1e-7);
        }
    }

    [Fact]
    public void Run_ConstantStretch_CountsSingularRefitsAndKeepsTheLastGoodCoefficients()
    {
        // The last 100 returns are zero, so windows of 30 that lie inside them have an all-zero lag column.
        const int window = 30;
        double[] returns = [.. Synthetic.ArReturns(100, 0, [0.2], 0.01, seed: 3), .. new double[100]];
        var log = new double[100 * 2];

        BacktestOutcome outcome = RollingArBacktest.Run(returns, 1, window, 100, 1, new double[100], new double[100], log);

        // Test day d fits returns d .. d + 29 of the zero block's neighbourhood; from d = 30 on, every window is all zero (a lag column of zeros).
        Assert.Equal(70, outcome.SingularRefits);
        Assert.Equal(30, outcome.FirstSingularDay);
        Assert.Equal(log[29 * 2], log[99 * 2]);
        Assert.Equal(log[(29 * 2) + 1], log[(99 * 2) + 1]);
    }
}
