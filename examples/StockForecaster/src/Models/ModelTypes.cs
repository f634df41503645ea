namespace StockForecaster.Models;

/// <summary>Forecast accuracy of one-day-ahead forecasts over the backtest span.</summary>
/// <param name="Rmse">Root mean squared error of the log-return forecasts.</param>
/// <param name="Mae">Mean absolute error of the log-return forecasts.</param>
/// <param name="DirectionalAccuracy">Share of days whose sign was forecast correctly (days with a zero actual or forecast return count as misses).</param>
/// <param name="TheilU">RMSE divided by the random walk's RMSE over the same days (below 1 beats the random walk).</param>
/// <param name="Forecasts">How many one-day-ahead forecasts were scored.</param>
public sealed record ForecastMetrics(double Rmse, double Mae, double DirectionalAccuracy, double TheilU, int Forecasts);

/// <summary>One day of the h-day forecast, in prices, with its prediction interval.</summary>
/// <param name="Date">The trading day forecast.</param>
/// <param name="Price">The point forecast of the modelled price.</param>
/// <param name="Lower">The lower end of the prediction interval.</param>
/// <param name="Upper">The upper end of the prediction interval.</param>
public sealed record ForecastPoint(DateOnly Date, double Price, double Lower, double Upper);

/// <summary>The fitted model of one ticker, its backtest against the baselines and its forecast.</summary>
/// <param name="Ticker">The ticker symbol.</param>
/// <param name="Order">The AR order p.</param>
/// <param name="Intercept">The fitted intercept.</param>
/// <param name="Coefficients">The AR coefficients φ1..φp.</param>
/// <param name="Sigma">The residual standard deviation.</param>
/// <param name="InformationCriterion">The value of the criterion the order was chosen by (or of AIC when the order is fixed).</param>
/// <param name="Observations">The number of log returns the final model was fitted on.</param>
/// <param name="FittedFrom">The first date of the fitting window.</param>
/// <param name="FittedTo">The last date of the fitting window.</param>
/// <param name="Ar">Backtest metrics of the AR model.</param>
/// <param name="RandomWalk">Backtest metrics of the random walk (zero return).</param>
/// <param name="HistoricalMean">Backtest metrics of the historical mean.</param>
/// <param name="Forecast">The h-day forecast.</param>
public sealed record TickerModel(
    string Ticker,
    int Order,
    double Intercept,
    double[] Coefficients,
    double Sigma,
    double InformationCriterion,
    int Observations,
    DateOnly FittedFrom,
    DateOnly FittedTo,
    ForecastMetrics Ar,
    ForecastMetrics RandomWalk,
    ForecastMetrics HistoricalMean,
    ForecastPoint[] Forecast);

/// <summary>The model step's output, published as <c>data/model.json</c>: parameters, metrics, the settings used and the hash of the data fitted.</summary>
/// <param name="DataHash">SHA-256 (hex) of the price values the models were fitted on.</param>
/// <param name="Settings">The settings the models were fitted with.</param>
/// <param name="Tickers">One model per ticker, in the order of the clean prices.</param>
public sealed record ModelReport(string DataHash, ModelSettings Settings, TickerModel[] Tickers);
