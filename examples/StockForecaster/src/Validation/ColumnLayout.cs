namespace StockForecaster.Validation;

/// <summary>Which source column feeds which price field, as schema matching decided.</summary>
internal sealed class ColumnLayout
{
    /// <summary>Creates a layout for a header of <paramref name="names"/> (as found, trimmed) with no column assigned yet.</summary>
    public ColumnLayout(string[] names)
    {
        Names = names;
        FieldOfColumn = new int[names.Length];
        Array.Fill(FieldOfColumn, -1);
        ColumnOfField = new int[HeaderNames.Canonical.Count];
        Array.Fill(ColumnOfField, -1);
    }

    /// <summary>Gets the header names as found, trimmed, for messages.</summary>
    public string[] Names { get; }

    /// <summary>Gets the number of fields every line must have.</summary>
    public int Width => Names.Length;

    /// <summary>Gets, per source column, the <see cref="PriceField"/> it feeds, or -1 when it is ignored.</summary>
    public int[] FieldOfColumn { get; }

    /// <summary>Gets, per <see cref="PriceField"/>, the 0-based source column that feeds it, or -1 when it is absent.</summary>
    public int[] ColumnOfField { get; }

    /// <summary>Makes source column <paramref name="column"/> feed <paramref name="field"/>.</summary>
    public void Assign(int column, PriceField field)
    {
        FieldOfColumn[column] = (int)field;
        ColumnOfField[(int)field] = column;
    }

    /// <summary>Stops source column <paramref name="column"/> from feeding anything.</summary>
    public void Drop(int column)
    {
        if (FieldOfColumn[column] >= 0)
        {
            ColumnOfField[FieldOfColumn[column]] = -1;
            FieldOfColumn[column] = -1;
        }
    }
}
