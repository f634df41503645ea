using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sluice.Artifacts;
using Sluice.Execution;
using StockForecaster.Alerts;
using StockForecaster.Calendar;
using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Steps;

/// <summary>The model step: fit, backtest, judge and forecast; a diverged model is refused so the last good <c>model.json</c> stays published.</summary>
public static class ModelStep
{
    /// <summary>Fits the models, comparing against the last published model; on divergence raises an alert and fails without publishing.</summary>
    public static ModelReport Run(StepContext context, CleanPrices clean, ModelSettings settings, AlertSettings alerts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ModelReport? previous = LastGood(context);
        try
        {
            ModelReport report = Forecaster.Fit(clean, settings, NyseCalendar.Shared, previous, context.CancellationToken);
            foreach (TickerModel model in report.Tickers.Take(20))
            {
                context.Logger.LogInformation(
                    "{Ticker}: AR({Order}), Theil's U {TheilU:F4}, RMSE {Rmse:E3} vs random walk {RandomWalk:E3}",
                    model.Ticker, model.Order, model.Ar.TheilU, model.Ar.Rmse, model.RandomWalk.Rmse);
            }

            // The median over tickers: one figure a dashboard can track from run to run, whatever the universe's size.
            if (report.Tickers.Length > 0)
            {
                context.Metrics.Record("tickers_modelled", report.Tickers.Length);
                context.Metrics.Record("median_theil_u", Median(report.Tickers.Select(t => t.Ar.TheilU)), "ratio");
                context.Metrics.Record("median_rmse", Median(report.Tickers.Select(t => t.Ar.Rmse)));
            }

            return report;
        }
        catch (ModelDivergedException e)
        {
            context.Alerts.Raise(Sluice.Alerts.AlertKind.ModelDivergence, e.Message, "model: the fit diverged; the last good model.json stays published");
            throw;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(double.IsFinite).Order()];
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The published file is the last model that passed every check (a diverged fit never publishes), so it is
    // the reference for the coefficient-jump check. An unreadable file is no reference, not a failure.
    private static ModelReport? LastGood(StepContext context)
    {
        string path = context.PathTo(ForecasterPaths.Model);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ModelReport>(stream, JsonArtifactSerializer<ModelReport>.DefaultOptions);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            context.Logger.LogWarning("The last published model {Path} could not be read ({Error}); fitting without a previous model to compare with", ForecasterPaths.Model, e.Message);
            return null;
        }
    }
}
