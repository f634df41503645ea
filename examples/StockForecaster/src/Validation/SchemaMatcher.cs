using System.Globalization;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Compares a source's header and a sample of its values with the contract, and says how it drifted.</summary>
internal static class SchemaMatcher
{
    // Enough rows to tell a retyped column from a few bad cells without reading the whole series twice.
    private const int SampleRows = 100;

    /// <summary>Matches the header of <paramref name="raw"/> to the contract's columns and describes every difference.</summary>
    public static SchemaMatch Match(RawSeries raw, DataContract contract)
    {
        string[] names = new string[raw.Header.Length];
        string[] normalized = new string[raw.Header.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = raw.Header[i].Trim().TrimStart('\uFEFF').Trim();
            normalized[i] = HeaderNames.Normalize(names[i]);
        }

        var layout = new ColumnLayout(names);
        var ambiguous = new List<string>();
        for (int column = 0; column < names.Length; column++)
        {
            if (FieldNamed(normalized[column], contract) is not { } field)
            {
                continue;
            }

            int other = layout.ColumnOfField[(int)field];
            if (other >= 0)
            {
                ambiguous.Add($"ambiguous: columns {other + 1} '{names[other]}' and {column + 1} '{names[column]}' both match '{contract.Column(field).Name}'");
                continue;
            }

            layout.Assign(column, field);
        }

        int[] sample = SampleIndices(raw.Lines.Length);
        List<(int Column, PriceField Field)> renames = FindRenames(raw, contract, layout, normalized, sample);
        foreach ((int column, PriceField field) in renames)
        {
            layout.Assign(column, field);
        }

        var diff = new List<string>();
        bool drift = ambiguous.Count > 0 || renames.Count > 0;
        bool blocking = ambiguous.Count > 0;
        for (int column = 0; column < names.Length; column++)
        {
            // A column naming a field that another column already took is reported as ambiguous, not as added.
            if (layout.FieldOfColumn[column] < 0 && FieldNamed(normalized[column], contract) is null)
            {
                diff.Add($"added '{names[column]}'");
                drift = true;
            }
        }

        for (int position = 0; position < contract.Columns.Count; position++)
        {
            ColumnContract column = contract.Columns[position];
            PriceField field = contract.FieldAt(position);
            if (layout.ColumnOfField[(int)field] < 0)
            {
                diff.Add(column.Required ? $"removed '{column.Name}' (required)" : $"removed '{column.Name}' (optional, using {Substitute(field)})");
                drift |= column.Required;
                blocking |= column.Required;
            }
        }

        foreach ((int column, PriceField field) in renames)
        {
            diff.Add($"renamed '{contract.Column(field).Name}' -> '{names[column]}'");
        }

        for (int column = 0; column < names.Length; column++)
        {
            if (layout.FieldOfColumn[column] < 0)
            {
                continue;
            }

            var field = (PriceField)layout.FieldOfColumn[column];
            ColumnContract expected = contract.Column(field);
            Sample found = Read(raw, column, expected.Type, contract, sample);
            if (found.Present == 0 || found.Fitting * 2 >= found.Present)
            {
                continue;
            }

            drift = true;
            string entry = string.Create(
                CultureInfo.InvariantCulture,
                $"retyped '{expected.Name}': expected {Cells.Expectation(expected.Type, contract.DateFormat)}, found {Plural(found.Misfit)} in {found.Present - found.Fitting} of {found.Present} sampled rows (e.g. '{found.Example}' on line {found.ExampleLine})");
            // Each of its cells would fail to parse; this one entry says it all. Policy warn lets the series through without an optional one.
            layout.Drop(column);
            blocking |= expected.Required;
            if (!expected.Required && contract.SchemaDrift == SchemaDriftPolicy.Warn)
            {
                entry += $" (optional, using {Substitute(field)})";
            }

            diff.Add(entry);
        }

        diff.AddRange(ambiguous);
        return new SchemaMatch(layout, diff, drift, blocking);
    }

    /// <summary>Describes what stands in for an absent optional field.</summary>
    public static string Substitute(PriceField field) => field switch
    {
        PriceField.High => "the larger of open and close",
        PriceField.Low => "the smaller of open and close",
        PriceField.Volume => "0",
        _ => "close",
    };

    private static PriceField? FieldNamed(string normalized, DataContract contract)
    {
        for (int position = 0; position < contract.Columns.Count; position++)
        {
            PriceField field = contract.FieldAt(position);
            if (Array.IndexOf(contract.NamesOf(field), normalized) >= 0)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>Pairs columns the contract does not know with missing contract columns whose type their values fit and whose name or position they share.</summary>
    private static List<(int Column, PriceField Field)> FindRenames(RawSeries raw, DataContract contract, ColumnLayout layout, string[] normalized, int[] sample)
    {
        var candidates = new List<(int Score, int Column, PriceField Field)>();
        for (int position = 0; position < contract.Columns.Count; position++)
        {
            ColumnContract missing = contract.Columns[position];
            PriceField field = contract.FieldAt(position);
            if (layout.ColumnOfField[(int)field] >= 0)
            {
                continue;
            }

            for (int column = 0; column < layout.Width; column++)
            {
                if (layout.FieldOfColumn[column] >= 0 || FieldNamed(normalized[column], contract) is not null)
                {
                    continue;
                }

                bool alike = false;
                foreach (string name in contract.NamesOf(field))
                {
                    alike |= HeaderNames.LookAlike(normalized[column], name);
                }

                bool samePlace = column == position;
                if (!alike && !samePlace)
                {
                    continue;
                }

                Sample values = Read(raw, column, missing.Type, contract, sample);
                if (values.Present > 0 && values.Fitting * 2 >= values.Present)
                {
                    candidates.Add(((alike ? 2 : 0) + (samePlace ? 1 : 0), column, field));
                }
            }
        }

        // Strongest evidence first; each column and each field is used once.
        candidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Column.CompareTo(b.Column));
        var renames = new List<(int, PriceField)>();
        var usedColumns = new HashSet<int>();
        var usedFields = new HashSet<PriceField>();
        foreach ((_, int column, PriceField field) in candidates)
        {
            if (usedColumns.Add(column) && usedFields.Add(field))
            {
                renames.Add((column, field));
            }
            else
            {
                usedColumns.Remove(column);
            }
        }

        renames.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return renames;
    }

    private static int[] SampleIndices(int count)
    {
        int size = Math.Min(count, SampleRows);
        var indices = new int[size];
        for (int i = 0; i < size; i++)
        {
            indices[i] = (int)((long)i * count / size);
        }

        return indices;
    }

    private static Sample Read(RawSeries raw, int column, ColumnType type, DataContract contract, int[] sample)
    {
        int present = 0;
        int fitting = 0;
        string? example = null;
        int exampleLine = 0;
        Span<int> kinds = stackalloc int[5];
        foreach (int row in sample)
        {
            if (!Cells.TryGetField(raw.Lines[row], column, out ReadOnlySpan<char> cell))
            {
                continue;
            }

            cell = Cells.Clean(cell);
            if (Cells.IsMissing(cell))
            {
                continue;
            }

            present++;
            if (Cells.Fits(cell, type, contract.DateFormat, contract.IsoDates))
            {
                fitting++;
                continue;
            }

            kinds[(int)Cells.Classify(cell, contract.DateFormat, contract.IsoDates)]++;
            if (example is null)
            {
                example = cell.ToString();
                exampleLine = raw.LineNumbers[row];
            }
        }

        int misfit = 0;
        for (int kind = 1; kind < kinds.Length; kind++)
        {
            misfit = kinds[kind] > kinds[misfit] ? kind : misfit;
        }

        return new Sample(present, fitting, (CellKind)misfit, example ?? "", exampleLine);
    }

    private static string Plural(CellKind kind) => kind switch
    {
        CellKind.Integer => "integers",
        CellKind.Decimal => "decimal numbers",
        CellKind.Date => "dates",
        _ => "text",
    };

    private readonly record struct Sample(int Present, int Fitting, CellKind Misfit, string Example, int ExampleLine);
}
