namespace StockForecaster.Reporting;

/// <summary>One titled part of a report: label-value facts, then an optional table, then notes.</summary>
/// <param name="Heading">The block's title.</param>
/// <param name="Facts">Label-value pairs, in order.</param>
/// <param name="Table">The block's table, or null.</param>
/// <param name="Notes">Sentences printed after the table.</param>
internal sealed record ReportBlock(string Heading, IReadOnlyList<KeyValuePair<string, string>> Facts, ReportTable? Table, IReadOnlyList<string> Notes);
