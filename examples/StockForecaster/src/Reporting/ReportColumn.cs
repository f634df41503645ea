namespace StockForecaster.Reporting;

/// <summary>One table column: its header and whether its values are numbers, which are right-aligned.</summary>
/// <param name="Header">The column header.</param>
/// <param name="Numeric">Whether values are right-aligned.</param>
internal sealed record ReportColumn(string Header, bool Numeric = false);
