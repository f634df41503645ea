namespace Sluice.Benchmarks.ForecasterData;

/// <summary>What one generation wrote.</summary>
/// <param name="Files">The number of ticker files.</param>
/// <param name="Rows">The number of bars over all files.</param>
/// <param name="Bytes">The size of all ticker files.</param>
/// <param name="FirstDate">The first trading day of every file.</param>
/// <param name="LastDate">The last trading day of every file.</param>
/// <param name="SourcesPath">The path of the sources.json written.</param>
public sealed record DataSetSummary(int Files, long Rows, long Bytes, DateOnly FirstDate, DateOnly LastDate, string SourcesPath);
