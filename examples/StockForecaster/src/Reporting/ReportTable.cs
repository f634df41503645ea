namespace StockForecaster.Reporting;

/// <summary>A table both renderers draw: fixed-width columns in text, a table element in HTML.</summary>
internal sealed class ReportTable
{
    private readonly List<ReportCell[]> rows = [];

    /// <summary>Creates an empty table with the given columns.</summary>
    public ReportTable(params ReportColumn[] columns) => Columns = columns;

    /// <summary>Gets the columns.</summary>
    public IReadOnlyList<ReportColumn> Columns { get; }

    /// <summary>Gets the rows, each with one cell per column.</summary>
    public IReadOnlyList<ReportCell[]> Rows => rows;

    /// <summary>Appends a row; throws when it has not one cell per column.</summary>
    public void Add(params ReportCell[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"A row of this table needs {Columns.Count} cells, not {cells.Length}.", nameof(cells));
        }

        rows.Add(cells);
    }
}
