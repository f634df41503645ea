using System.Text;

namespace StockForecaster.Reporting;

/// <summary>Draws report content as plain text for a person: fixed-width aligned tables, '\n' line ends, no trailing spaces.</summary>
internal static class TextRenderer
{
    private const string Indent = "  ";
    private const string Gap = "  ";
    private const int RuleWidth = 72;

    /// <summary>Renders the whole report.</summary>
    public static string Render(ReportContent content)
    {
        var text = new StringBuilder(4096 + (content.Details.Count * 3072));
        Underlined(text, content.Title, '=');
        Line(text);
        Block(text, content.Overview);
        Block(text, content.Summary);
        foreach (TickerDetail detail in content.Details)
        {
            Line(text, new string('=', RuleWidth));
            Line(text, detail.Ticker);
            Line(text, new string('=', RuleWidth));
            Line(text);
            foreach (ReportBlock block in detail.Blocks)
            {
                Block(text, block);
            }
        }

        foreach (ReportBlock block in content.Trailer)
        {
            Block(text, block);
        }

        // Exactly one line end at the end of the file, however the last block ended.
        while (text.Length > 0 && text[^1] == '\n')
        {
            text.Length--;
        }

        return text.Append('\n').ToString();
    }

    private static void Block(StringBuilder text, ReportBlock block)
    {
        Underlined(text, block.Heading, '-');
        int labelWidth = block.Facts.Count == 0 ? 0 : block.Facts.Max(f => f.Key.Length);
        foreach (KeyValuePair<string, string> fact in block.Facts)
        {
            Line(text, Indent + fact.Key.PadRight(labelWidth) + Gap + fact.Value);
        }

        if (block.Table is not null)
        {
            if (block.Facts.Count > 0)
            {
                Line(text);
            }

            Table(text, block.Table);
        }

        foreach (string note in block.Notes)
        {
            Line(text, Indent + note);
        }

        Line(text);
    }

    private static void Table(StringBuilder text, ReportTable table)
    {
        int columns = table.Columns.Count;
        int[] widths = new int[columns];

        // A column with a marked cell gets one more character, so unmarked values keep their digits
        // aligned with the marked one ("0.0189*" above "0.0201 ").
        bool[] marked = new bool[columns];
        for (int c = 0; c < columns; c++)
        {
            widths[c] = table.Columns[c].Header.Length;
            foreach (ReportCell[] row in table.Rows)
            {
                marked[c] |= row[c].Best;
            }

            foreach (ReportCell[] row in table.Rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Text.Length + (marked[c] ? 1 : 0));
            }
        }

        var line = new StringBuilder(widths.Sum() + (columns * Gap.Length) + Indent.Length);
        Row(text, line, table, widths, c => table.Columns[c].Header);
        Row(text, line, table, widths, c => new string('-', widths[c]));
        foreach (ReportCell[] row in table.Rows)
        {
            Row(text, line, table, widths, c => marked[c] ? row[c].Text + (row[c].Best ? "*" : " ") : row[c].Text);
        }
    }

    private static void Row(StringBuilder text, StringBuilder line, ReportTable table, int[] widths, Func<int, string> cell)
    {
        line.Clear().Append(Indent);
        for (int c = 0; c < widths.Length; c++)
        {
            if (c > 0)
            {
                line.Append(Gap);
            }

            string value = cell(c);
            if (table.Columns[c].Numeric)
            {
                line.Append(' ', Math.Max(0, widths[c] - value.Length)).Append(value);
            }
            else
            {
                line.Append(value).Append(' ', Math.Max(0, widths[c] - value.Length));
            }
        }

        Line(text, line.ToString());
    }

    private static void Underlined(StringBuilder text, string heading, char rule)
    {
        Line(text, heading);
        Line(text, new string(rule, heading.Length));
    }

    private static void Line(StringBuilder text, string line = "") => text.Append(line.TrimEnd(' ')).Append('\n');
}
