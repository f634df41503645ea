namespace Hello;

/// <summary>Summary statistics of the input.</summary>
/// <param name="Count">How many values.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StandardDeviation">Their sample standard deviation.</param>
public sealed record Summary(int Count, double Mean, double StandardDeviation);
