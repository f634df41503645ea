using System.Globalization;
using System.Runtime.CompilerServices;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Parses a series' lines into rows and checks each row on its own (types, field count, OHLC); the hot path, so spans only and no strings unless something is wrong.</summary>
internal static class RowParser
{
    private const int ShownValueLength = 40;

    /// <summary>Returns every row that parsed and passed the row checks, in source order; each failure goes to <paramref name="problems"/> naming file, line and column.</summary>
    /// <remarks>Optimized from the first call, like the cell parsers: the loop runs millions of times in a process that validates once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PriceRows Parse(RawSeries raw, ColumnLayout layout, DataContract contract, ProblemList problems)
    {
        int width = layout.Width;
        int[] fieldOf = layout.FieldOfColumn;
        var types = new ColumnType[width];
        var required = new bool[width];
        for (int column = 0; column < width; column++)
        {
            if (fieldOf[column] >= 0)
            {
                ColumnContract declared = contract.Column((PriceField)fieldOf[column]);
                types[column] = declared.Type;
                required[column] = declared.Required;
            }
        }

        var rows = new PriceRows(raw.Lines.Length);
        Span<double> prices = stackalloc double[HeaderNames.Canonical.Count];
        Span<bool> present = stackalloc bool[HeaderNames.Canonical.Count];
        string[] lines = raw.Lines;
        for (int i = 0; i < lines.Length; i++)
        {
            ReadOnlySpan<char> rest = lines[i];

            // A blank line carries no record: trailing blank lines are common in hand-edited files.
            if (rest.IsWhiteSpace())
            {
                continue;
            }

            // A line with a field too many or too few has its values in the wrong columns: one problem, not one per shifted cell.
            int fields = rest.Count(',') + 1;
            if (fields != width)
            {
                if (problems.WantsDetail)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{raw.Source.Location}:{raw.LineNumbers[i]}: expected {width} fields, found {fields}"));
                }
                else
                {
                    problems.AddUndescribed();
                }

                continue;
            }

            present.Clear();
            DateOnly date = default;
            long volume = 0;
            bool ok = true;
            int column = 0;
            while (true)
            {
                int comma = rest.IndexOf(',');
                ReadOnlySpan<char> text = comma < 0 ? rest : rest[..comma];
                if (fieldOf[column] >= 0)
                {
                    ReadOnlySpan<char> cell = Cells.Clean(text);
                    int field = fieldOf[column];
                    bool parsed;
                    if (Cells.IsMissing(cell))
                    {
                        parsed = !required[column];
                    }
                    else if (field == (int)PriceField.Date)
                    {
                        parsed = Cells.TryParseDate(cell, contract.DateFormat, contract.IsoDates, out date);
                        present[field] = true;
                    }
                    else if (types[column] == ColumnType.WholeNumber)
                    {
                        parsed = Cells.TryParseInteger(cell, out long whole);
                        volume = field == (int)PriceField.Volume ? whole : volume;
                        prices[field] = whole;
                        present[field] = true;
                    }
                    else
                    {
                        parsed = Cells.TryParseDecimal(cell, out prices[field]);
                        present[field] = true;
                    }

                    if (!parsed)
                    {
                        ok = false;
                        ReportCell(raw, i, column, layout, contract, types[column], cell, problems);
                    }
                }

                column++;
                if (comma < 0)
                {
                    break;
                }

                rest = rest[(comma + 1)..];
            }

            if (!ok)
            {
                continue;
            }

            Substitute(prices, present, ref volume);
            if (CheckRow(prices, volume))
            {
                rows.Add(date, prices[(int)PriceField.Open], prices[(int)PriceField.High], prices[(int)PriceField.Low], prices[(int)PriceField.Close], prices[(int)PriceField.AdjClose], volume, raw.LineNumbers[i]);
            }
            else if (problems.WantsDetail)
            {
                problems.Add(DescribeRow(raw.Source.Location, raw.LineNumbers[i], date, prices, volume));
            }
            else
            {
                problems.AddUndescribed();
            }
        }

        return rows;
    }

    // Absent optional values take stand-ins that keep the row's own prices consistent.
    private static void Substitute(Span<double> prices, Span<bool> present, ref long volume)
    {
        double close = prices[(int)PriceField.Close];
        if (!present[(int)PriceField.Open])
        {
            prices[(int)PriceField.Open] = close;
        }

        double open = prices[(int)PriceField.Open];
        if (!present[(int)PriceField.High])
        {
            prices[(int)PriceField.High] = Math.Max(open, close);
        }

        if (!present[(int)PriceField.Low])
        {
            prices[(int)PriceField.Low] = Math.Min(open, close);
        }

        if (!present[(int)PriceField.AdjClose])
        {
            prices[(int)PriceField.AdjClose] = close;
        }

        if (!present[(int)PriceField.Volume])
        {
            volume = 0;
        }
    }

    private static bool CheckRow(ReadOnlySpan<double> p, long volume)
    {
        double open = p[(int)PriceField.Open];
        double high = p[(int)PriceField.High];
        double low = p[(int)PriceField.Low];
        double close = p[(int)PriceField.Close];
        return open > 0 && high > 0 && low > 0 && close > 0 && p[(int)PriceField.AdjClose] > 0 && volume >= 0
            && low <= open && open <= high && low <= close && close <= high;
    }

    private static string DescribeRow(string location, int line, DateOnly date, ReadOnlySpan<double> p, long volume)
    {
        double open = p[(int)PriceField.Open];
        double high = p[(int)PriceField.High];
        double low = p[(int)PriceField.Low];
        double close = p[(int)PriceField.Close];
        var broken = new List<string>();
        foreach ((string name, double value) in (ReadOnlySpan<(string, double)>)[("open", open), ("high", high), ("low", low), ("close", close), ("adjclose", p[(int)PriceField.AdjClose])])
        {
            if (!(value > 0))
            {
                broken.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value} is not positive"));
            }
        }

        if (volume < 0)
        {
            broken.Add(string.Create(CultureInfo.InvariantCulture, $"volume {volume} is negative"));
        }

        if (low > high)
        {
            broken.Add(string.Create(CultureInfo.InvariantCulture, $"low {low} is above high {high}"));
        }

        foreach ((string name, double value) in (ReadOnlySpan<(string, double)>)[("open", open), ("close", close)])
        {
            if (value < low)
            {
                broken.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value} is below low {low}"));
            }

            if (value > high)
            {
                broken.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value} is above high {high}"));
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{location}:{line} ({date:yyyy-MM-dd}): {string.Join("; ", broken)}");
    }

    private static void ReportCell(RawSeries raw, int row, int column, ColumnLayout layout, DataContract contract, ColumnType type, ReadOnlySpan<char> cell, ProblemList problems)
    {
        if (!problems.WantsDetail)
        {
            problems.AddUndescribed();
            return;
        }

        string found = cell.IsEmpty ? "an empty value"
            : cell.Length > ShownValueLength ? $"'{cell[..ShownValueLength]}...'"
            : $"'{cell}'";
        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{raw.Source.Location}:{raw.LineNumbers[row]}:{column + 1} ({layout.Names[column]}): expected {Cells.Expectation(type, contract.DateFormat)}, found {found}"));
    }
}
