namespace StockForecaster.Models;

/// <summary>What went wrong, if anything, while refitting during a walk-forward backtest.</summary>
/// <param name="SingularRefits">How many refits met singular or ill-conditioned normal equations (each kept the previous coefficients).</param>
/// <param name="FirstSingularDay">The test-day index of the first such refit, or −1 when there was none.</param>
internal readonly record struct BacktestOutcome(int SingularRefits, int FirstSingularDay);
