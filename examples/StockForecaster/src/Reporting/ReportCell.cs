namespace StockForecaster.Reporting;

/// <summary>One table cell: its text, whether it is the best value of its column, and the detail section it links to in HTML.</summary>
/// <param name="Text">The formatted value, already cleaned of control characters.</param>
/// <param name="Best">Whether the cell is marked as the best of its column.</param>
/// <param name="Anchor">The id of the HTML section the cell links to, or null.</param>
internal readonly record struct ReportCell(string Text, bool Best = false, string? Anchor = null)
{
    /// <summary>Converts plain text to an unmarked cell.</summary>
    public static implicit operator ReportCell(string text) => new(text);
}
