using System.Globalization;
using StockForecaster.Data;

namespace StockForecaster.Models;

/// <summary>Everything the model step does for one ticker: returns, order, final fit, backtest, checks and forecast.</summary>
internal static class TickerModeller
{
    /// <summary>Models one ticker whose target column holds at least WindowDays + TestDays + 1 prices, using only the last that many.</summary>
    internal static TickerOutcome Model(PriceSeries series, double[] prices, ModelSettings settings, IReadOnlyList<DateOnly> horizonDates, TickerModel? previous)
    {
        string ticker = series.Ticker;
        int window = settings.WindowDays;
        int testDays = settings.TestDays;
        int start = prices.Length - (window + testDays + 1);
        double[] returns = LogReturns.Compute(prices.AsSpan(start));
        DateOnly ReturnDate(int i) => series.Dates[start + i + 1];

        // A non-finite return poisons every window containing it; naming the day and prices is more useful than the NaN parameters that follow.
        int bad = Array.FindIndex(returns, r => !double.IsFinite(r));
        if (bad >= 0)
        {
            int count = returns.Count(r => !double.IsFinite(r));
            return Diverged(new Divergence(ticker, DivergenceCause.NonFiniteParameters, string.Create(
                CultureInfo.InvariantCulture,
                $"the log return on {ReturnDate(bad):yyyy-MM-dd} is {returns[bad]} (price {prices[start + bad]} then {prices[start + bad + 1]}), so the parameters of every fit over it are not finite; {count} of the {returns.Length} returns used are not finite.")));
        }

        ReadOnlySpan<double> finalWindow = returns.AsSpan(returns.Length - window);
        DateOnly fittedFrom = ReturnDate(returns.Length - window);
        DateOnly fittedTo = ReturnDate(returns.Length - 1);
        int order = settings.Order;
        double criterion = double.NaN;
        if (order == 0)
        {
            (order, criterion) = ArEstimator.SelectOrder(finalWindow, settings.MaxOrder, settings.Criterion);

            // No order could be fitted; fitting AR(1) below reports why.
            order = Math.Max(order, 1);
        }

        ArFit fit = ArEstimator.Fit(finalWindow, order, order);
        if (settings.Order > 0)
        {
            criterion = fit.Aic;
        }

        if (DivergenceChecks.Unsolved(ticker, fit, fittedFrom, fittedTo) is { } unsolved)
        {
            return Diverged(unsolved);
        }

        if (DivergenceChecks.NonFinite(ticker, fit.Intercept, fit.Coefficients, fit.Sigma, criterion) is { } nonFinite)
        {
            return Diverged(nonFinite);
        }

        var arForecasts = new double[testDays];
        var meanForecasts = new double[testDays];
        BacktestOutcome backtest = RollingArBacktest.Run(returns, order, window, testDays, settings.RefitEvery, arForecasts, meanForecasts, []);
        ReadOnlySpan<double> actual = returns.AsSpan(returns.Length - testDays);
        double randomWalkRmse = ForecastScoring.RandomWalkRmse(actual);
        ForecastMetrics ar = ForecastScoring.Score(actual, arForecasts, randomWalkRmse);
        ForecastMetrics randomWalk = ForecastScoring.Score(actual, new double[testDays], randomWalkRmse);
        ForecastMetrics historicalMean = ForecastScoring.Score(actual, meanForecasts, randomWalkRmse);

        int refits = ((testDays - 1) / settings.RefitEvery) + 1;
        Divergence?[] found =
        [
            DivergenceChecks.NonStationary(ticker, fit.Coefficients),
            DivergenceChecks.SingularRefits(ticker, backtest, refits, ReturnDate(returns.Length - testDays + Math.Max(backtest.FirstSingularDay, 0))),
            DivergenceChecks.WorseThanRandomWalk(ticker, ar, randomWalk, settings.DivergenceMargin),
            DivergenceChecks.CoefficientJump(ticker, fit.Coefficients, previous, settings.MaxCoefficientJump),
        ];
        Divergence[] divergences = [.. found.OfType<Divergence>()];
        if (divergences.Length > 0)
        {
            return new TickerOutcome(null, divergences);
        }

        var forecast = ArProjection.Project(returns, fit.Intercept, fit.Coefficients, fit.Sigma, prices[^1], settings.Horizon, settings.IntervalLevel)
            .Select((point, i) => new ForecastPoint(horizonDates[i], point.Price, point.Lower, point.Upper))
            .ToArray();
        var model = new TickerModel(
            ticker, order, fit.Intercept, fit.Coefficients, fit.Sigma, criterion, window, fittedFrom, fittedTo, ar, randomWalk, historicalMean, forecast);
        return new TickerOutcome(model, []);
    }

    private static TickerOutcome Diverged(Divergence divergence) => new(null, [divergence]);
}
