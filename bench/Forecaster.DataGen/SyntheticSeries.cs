namespace Sluice.Benchmarks.ForecasterData;

/// <summary>One generated ticker's daily bars, column-wise, aligned with the dates they were generated for.</summary>
/// <param name="Ticker">The ticker symbol.</param>
/// <param name="Open">The opening prices.</param>
/// <param name="High">The daily highs.</param>
/// <param name="Low">The daily lows.</param>
/// <param name="Close">The closing prices (also written as the adjusted close: there are no dividends or splits).</param>
/// <param name="Volume">The volumes.</param>
public sealed record SyntheticSeries(string Ticker, double[] Open, double[] High, double[] Low, double[] Close, long[] Volume);
