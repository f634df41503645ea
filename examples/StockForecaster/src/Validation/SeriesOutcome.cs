using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>What validating one series produced: the clean series unless there were errors, the errors, and the findings.</summary>
/// <param name="Series">The clean series, or null when <paramref name="Problems"/> is not empty.</param>
/// <param name="Problems">The errors that fail the step.</param>
/// <param name="Findings">The warnings and infos.</param>
internal sealed record SeriesOutcome(PriceSeries? Series, ProblemList Problems, List<Finding> Findings);
