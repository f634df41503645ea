namespace StockForecaster.Alerts;

/// <summary>Something a person should look at now, raised by a step: a diverged model, a data-quality problem.</summary>
/// <param name="Kind">A stable kind an alert rule can match: <c>model-divergence</c>, <c>data-quality</c>.</param>
/// <param name="RunId">The run that raised it.</param>
/// <param name="Step">The step that raised it.</param>
/// <param name="At">When it was raised, by the run's clock.</param>
/// <param name="Message">What happened, for a person.</param>
public sealed record Alert(string Kind, string RunId, string Step, DateTimeOffset At, string Message);
