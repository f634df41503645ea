namespace StockForecaster.Data;

/// <summary>Where one series came from: enough to find it again and to tell whether it changed. Never holds a secret.</summary>
/// <param name="Kind">The source kind, for example <c>csv</c> or <c>alphavantage</c>.</param>
/// <param name="Location">A project-relative path or a URL with any API key removed.</param>
/// <param name="ContentHash">SHA-256 (hex, lower case) of the bytes as received.</param>
/// <param name="Bytes">The number of bytes received.</param>
public sealed record SourceInfo(string Kind, string Location, string ContentHash, long Bytes);

/// <summary>One ticker's records exactly as the source gave them: the header as found and each data line as text, so cleaning can name file, line and column.</summary>
/// <param name="Ticker">The ticker symbol, upper case.</param>
/// <param name="Source">Where the records came from.</param>
/// <param name="Header">The column names exactly as found (case and spacing untouched).</param>
/// <param name="Lines">Each data record as one comma-separated line of text, in source order.</param>
/// <param name="LineNumbers">The 1-based line number in the source of each entry of <paramref name="Lines"/>.</param>
public sealed record RawSeries(string Ticker, SourceInfo Source, string[] Header, string[] Lines, int[] LineNumbers);

/// <summary>The ingest step's output, published as <c>data/prices_raw.json</c>.</summary>
/// <param name="Series">One entry per ticker, in configuration order.</param>
public sealed record RawPrices(RawSeries[] Series);
