using System.Text;

namespace Sluice.Cli.Output;

/// <summary>Aligns rows of text in columns; the last column is never padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public string Render(bool withHeader = true, string indent = "")
    {
        var all = withHeader ? _rows.Prepend(headers).ToList() : _rows;
        int columns = all.Count == 0 ? 0 : all.Max(r => r.Length);
        var widths = new int[columns];
        foreach (string[] row in all)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in all)
        {
            text.Append(indent);
            for (int c = 0; c < row.Length; c++)
            {
                bool last = c == row.Length - 1;
                text.Append(last ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
