namespace Sluice.Benchmarks.ForecasterData;

/// <summary>One entry of sources.json: a ticker and the path of its CSV.</summary>
/// <param name="Ticker">The ticker symbol.</param>
/// <param name="Path">The CSV's path: the output folder as given, then the file name.</param>
public sealed record SourceEntry(string Ticker, string Path);
