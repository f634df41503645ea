using System.Globalization;
using System.Text.Json;
using Sluice.Definitions;
using StockForecaster.Calendar;
using StockForecaster.Data;

namespace StockForecaster.Models;

/// <summary>The model step: per ticker, an AR(p) of daily log returns with a walk-forward backtest against the random walk and the historical mean, an h-day forecast, and divergence checks that stop a bad model from being published.</summary>
/// <remarks>
/// <para>Returns: r_t = ln(P_t / P_{t−1}) of the target column; only the last W + T + 1 prices are used (W = WindowDays, T = TestDays).</para>
/// <para>Model: r_t = c + φ1 r_{t−1} + … + φp r_{t−p} + ε_t, fitted by Householder QR on the W returns of a window, regressing its last n = W − p
/// returns on their lags; σ = √(RSS / (n − k)) with k = p + 1. With Order = 0, p minimises AIC = n ln(RSS/n) + 2k or BIC = n ln(RSS/n) + k ln n
/// over 1..MaxOrder, every candidate fitted on the same n = W − MaxOrder targets of the final window.</para>
/// <para>Backtest: each of the last T returns is forecast from the model fitted on the W returns before it, refitted every RefitEvery days
/// (see <see cref="RollingArBacktest"/>). Baselines: the random walk forecasts 0, the historical mean forecasts the window's mean.
/// Theil's U = RMSE / RMSE of the random walk over the same days, so the random walk's own U is exactly 1.</para>
/// <para>Forecast: see <see cref="ArProjection"/>. Divergence: see <see cref="DivergenceCause"/>.</para>
/// </remarks>
public static class Forecaster
{
    /// <summary>Fits, backtests and forecasts every ticker, and throws <see cref="ModelDivergedException"/> listing every ticker whose model diverged; the same input always gives the same report.</summary>
    /// <param name="prices">The clean prices; each series needs at least WindowDays + TestDays + 1 prices and only the last that many are used.</param>
    /// <param name="settings">How to fit, backtest and judge the models.</param>
    /// <param name="calendar">The exchange calendar that dates the forecast days.</param>
    /// <param name="previousGood">The last published model, whose coefficients bound how far the new ones may jump; null on the first run.</param>
    /// <param name="cancellationToken">Stops the fitting between tickers.</param>
    /// <exception cref="ArgumentException">The settings are out of range or inconsistent.</exception>
    /// <exception cref="DataValidationException">A series is too short or malformed.</exception>
    /// <exception cref="ModelDivergedException">One or more models diverged.</exception>
    public static ModelReport Fit(
        CleanPrices prices,
        ModelSettings settings,
        ITradingCalendar calendar,
        ModelReport? previousGood = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(calendar);
        Validate(settings);

        // A private copy: the report must show the settings used even if the caller changes its object later.
        ModelSettings used = JsonSerializer.Deserialize<ModelSettings>(JsonSerializer.SerializeToUtf8Bytes(settings))!;
        int needed = used.WindowDays + used.TestDays + 1;
        PriceSeries[] series = prices.Series;
        CheckLengths(series, used, needed);

        var previous = new Dictionary<string, TickerModel>(StringComparer.Ordinal);
        foreach (TickerModel model in previousGood?.Tickers ?? [])
        {
            previous.TryAdd(model.Ticker, model);
        }

        // The calendar is asked here, on one thread, so an implementation need not be thread-safe.
        var horizonDates = new Dictionary<DateOnly, DateOnly[]>();
        foreach (PriceSeries one in series)
        {
            DateOnly last = one.Dates[^1];
            if (!horizonDates.ContainsKey(last))
            {
                var dates = new DateOnly[used.Horizon];
                for (int h = 0; h < dates.Length; h++)
                {
                    dates[h] = calendar.NextTradingDay(h == 0 ? last : dates[h - 1]);
                }

                horizonDates.Add(last, dates);
            }
        }

        // Each ticker is computed start to finish on one thread and lands in its own slot, so the output does not depend on scheduling.
        var outcomes = new TickerOutcome[series.Length];
        Parallel.For(
            0,
            series.Length,
            new ParallelOptions { CancellationToken = cancellationToken },
            i => outcomes[i] = TickerModeller.Model(
                series[i], TargetColumn(series[i], used.Target), used, horizonDates[series[i].Dates[^1]], previous.GetValueOrDefault(series[i].Ticker)));

        Divergence[] divergences = [.. outcomes.SelectMany(o => o.Divergences)];
        if (divergences.Length > 0)
        {
            throw new ModelDivergedException(divergences, series.Length);
        }

        string dataHash = DataHash.Compute(series, s => TargetColumn(s, used.Target), needed);
        return new ModelReport(dataHash, used, [.. outcomes.Select(o => o.Model!)]);
    }

    private static double[] TargetColumn(PriceSeries series, string target) =>
        string.Equals(target, "Close", StringComparison.Ordinal) ? series.Close : series.AdjClose;

    private static void Validate(ModelSettings settings)
    {
        var problems = new List<string>();
        void Require(bool ok, FormattableString problem)
        {
            if (!ok)
            {
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
            }
        }

        Require(settings.Target is "AdjClose" or "Close", $"Model:Target is '{settings.Target}'; use 'AdjClose' or 'Close'.");
        Require(settings.Criterion is "aic" or "bic", $"Model:Criterion is '{settings.Criterion}'; use 'aic' or 'bic'.");
        Require(settings.Order is >= 0 and <= 20, $"Model:Order is {settings.Order}; use 0 (choose) to 20.");
        Require(settings.MaxOrder is >= 1 and <= 20, $"Model:MaxOrder is {settings.MaxOrder}; use 1 to 20.");
        Require(settings.TestDays >= 1, $"Model:TestDays is {settings.TestDays}; use 1 or more.");
        Require(settings.RefitEvery >= 1, $"Model:RefitEvery is {settings.RefitEvery}; use 1 or more.");
        Require(settings.Horizon >= 1, $"Model:Horizon is {settings.Horizon}; use 1 or more.");
        Require(settings.IntervalLevel is > 0 and < 1, $"Model:IntervalLevel is {settings.IntervalLevel}; use a coverage between 0 and 1, such as 0.95.");
        Require(settings.DivergenceMargin >= 0, $"Model:DivergenceMargin is {settings.DivergenceMargin}; use 0 or more.");
        Require(settings.MaxCoefficientJump >= 0, $"Model:MaxCoefficientJump is {settings.MaxCoefficientJump}; use 0 or more.");

        // The largest order fitted leaves n = WindowDays − p targets for k = p + 1 parameters; σ needs n − k ≥ 1.
        int largest = settings.Order > 0 ? settings.Order : settings.MaxOrder;
        int smallestWindow = (2 * largest) + 2;
        Require(settings.WindowDays >= smallestWindow, $"Model:WindowDays is {settings.WindowDays}, too few for AR({largest}); use at least {smallestWindow} (and far more in practice).");
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{problems.Count} problems in the model settings:\n  " + string.Join("\n  ", problems), nameof(settings));
        }
    }

    private static void CheckLengths(PriceSeries[] series, ModelSettings settings, int needed)
    {
        var problems = new List<string>();
        foreach (PriceSeries one in series)
        {
            double[] target = TargetColumn(one, settings.Target);
            if (target.Length != one.Dates.Length)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{one.Ticker} has {one.Dates.Length} dates but {target.Length} {settings.Target} prices; the clean step must emit one price per date."));
            }
            else if (one.Dates.Length < needed)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{one.Ticker} has {one.Dates.Length} prices; the model needs WindowDays + TestDays + 1 = {needed}. Lower Model:WindowDays ({settings.WindowDays}) or Model:TestDays ({settings.TestDays}), or ingest more history."));
            }
        }

        if (problems.Count > 0)
        {
            throw new DataValidationException($"{problems.Count} series cannot be modelled:\n  " + string.Join("\n  ", problems));
        }
    }
}
