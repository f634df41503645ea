using System.Globalization;
using System.Text;
using StockForecaster.Models;

namespace StockForecaster.Reporting;

/// <summary>Draws report content as one self-contained HTML page: inline CSS and SVG only, and a content security policy that forbids the page any request.</summary>
internal static class HtmlRenderer
{
    // No script, font, image or style is ever fetched: the policy backs up the fact that the page
    // names no external resource, so a future edit that adds one fails closed in the browser.
    private const string Head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        """;

    private const string Style = """
        <style>
        body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #222; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
        h1 { font-size: 1.6em; }
        h2 { font-size: 1.3em; border-bottom: 2px solid #999; padding-bottom: .2em; margin-top: 2em; }
        h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
        table { border-collapse: collapse; margin: .3em 0 .6em; }
        th, td { padding: .15em .7em .15em 0; text-align: left; vertical-align: top; }
        table.grid th { border-bottom: 1px solid #888; }
        table.grid td { border-bottom: 1px solid #e4e4e4; }
        table.facts th { font-weight: normal; color: #555; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .best { font-weight: bold; }
        .note { color: #555; margin: .2em 0; }
        figure { margin: 1em 0; }
        svg.chart { max-width: 100%; height: auto; }
        figcaption { color: #555; }
        </style>
        </head>
        <body>
        """;

    /// <summary>Renders the whole page, with charts for the first <see cref="ReportSettings.ChartTickers"/> detailed tickers.</summary>
    public static string Render(ReportContent content, ReportSettings settings, ModelSettings modelSettings)
    {
        var html = new StringBuilder(16_384 + (content.Details.Count * 8192));
        html.Append(Head).Append('\n');
        html.Append("<title>").Append(Escape(content.Title)).Append("</title>\n");
        html.Append(Style).Append('\n');
        html.Append("<h1>").Append(Escape(content.Title)).Append("</h1>\n");
        Section(html, content.Overview);
        Section(html, content.Summary);
        int charts = 0;
        foreach (TickerDetail detail in content.Details)
        {
            html.Append("<section class=\"ticker\" id=\"").Append(detail.Anchor).Append("\">\n");
            html.Append("<h2>").Append(Escape(detail.Ticker)).Append("</h2>\n");
            if (charts < settings.ChartTickers && detail.Series is { Dates.Length: > 0 } series)
            {
                charts++;
                string svg = PriceChart.Svg(series, detail.Model, modelSettings, settings.RecentDays, $"c{charts.ToString(CultureInfo.InvariantCulture)}-");
                int shown = Math.Min(series.Dates.Length, settings.RecentDays);
                string forecast = detail.Model is { Forecast.Length: > 0 } m
                    ? $" and the {ReportFormat.Plural(m.Forecast.Length, "trading day", "trading days")} forecast with its interval band"
                    : string.Empty;
                html.Append("<figure>\n").Append(svg);
                html.Append("<figcaption>").Append(Escape($"{detail.Ticker}: {modelSettings.Target} over the last {ReportFormat.Plural(shown, "trading day", "trading days")}{forecast}.")).Append("</figcaption>\n");
                html.Append("</figure>\n");
            }

            foreach (ReportBlock block in detail.Blocks)
            {
                Block(html, block, "h3");
            }

            html.Append("</section>\n");
        }

        foreach (ReportBlock block in content.Trailer)
        {
            Section(html, block);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Escapes text for an HTML text node or a quoted attribute value.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }

        return builder.ToString();
    }

    private static void Section(StringBuilder html, ReportBlock block)
    {
        html.Append("<section>\n");
        Block(html, block, "h2");
        html.Append("</section>\n");
    }

    private static void Block(StringBuilder html, ReportBlock block, string heading)
    {
        html.Append('<').Append(heading).Append('>').Append(Escape(block.Heading)).Append("</").Append(heading).Append(">\n");
        if (block.Facts.Count > 0)
        {
            html.Append("<table class=\"facts\"><tbody>\n");
            foreach (KeyValuePair<string, string> fact in block.Facts)
            {
                html.Append("<tr><th scope=\"row\">").Append(Escape(fact.Key)).Append("</th><td>").Append(Escape(fact.Value)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        if (block.Table is not null)
        {
            Table(html, block.Table);
        }

        foreach (string note in block.Notes)
        {
            html.Append("<p class=\"note\">").Append(Escape(note)).Append("</p>\n");
        }
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<table class=\"grid\"><thead><tr>");
        foreach (ReportColumn column in table.Columns)
        {
            html.Append(column.Numeric ? "<th class=\"num\">" : "<th>").Append(Escape(column.Header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        foreach (ReportCell[] row in table.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Length; c++)
            {
                ReportCell cell = row[c];
                string classes = (table.Columns[c].Numeric, cell.Best) switch
                {
                    (true, true) => " class=\"num best\"",
                    (true, false) => " class=\"num\"",
                    (false, true) => " class=\"best\"",
                    _ => string.Empty,
                };
                html.Append("<td").Append(classes).Append('>');
                string text = Escape(cell.Text) + (cell.Best ? "*" : string.Empty);
                if (cell.Anchor is not null)
                {
                    html.Append("<a href=\"#").Append(Escape(cell.Anchor)).Append("\">").Append(text).Append("</a>");
                }
                else
                {
                    html.Append(text);
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table>\n");
    }
}
