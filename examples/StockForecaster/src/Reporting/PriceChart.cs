using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using ScottPlot.AxisPanels;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;
using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Reporting;

/// <summary>Draws one ticker's recent prices and forecast band as an SVG element to embed inline in HTML, with ScottPlot.</summary>
internal static partial class PriceChart
{
    /// <summary>The stroke colour of the recent-price line.</summary>
    public const string PriceColor = "#1F4E79";

    /// <summary>The stroke colour of the point-forecast line.</summary>
    public const string ForecastColor = "#C0392B";

    /// <summary>The fill colour of the prediction-interval band (drawn translucent).</summary>
    public const string BandColor = "#E67E22";

    /// <summary>The chart's width in SVG user units.</summary>
    public const int Width = 900;

    /// <summary>The chart's height in SVG user units.</summary>
    public const int Height = 360;

    /// <summary>The font every label uses: DejaVu Sans ships with Debian (fonts-dejavu-core), and naming it keeps text widths, and so the bytes, the same wherever other fonts are installed.</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>Returns the price column the models were fitted on.</summary>
    public static double[] Target(PriceSeries series, ModelSettings settings) =>
        string.Equals(settings.Target, "Close", StringComparison.Ordinal) ? series.Close : series.AdjClose;

    /// <summary>Renders the last <paramref name="recentDays"/> prices, the point forecast and its interval band; ids inside the SVG start with <paramref name="idPrefix"/> so several charts can share one page.</summary>
    public static string Svg(PriceSeries series, TickerModel? model, ModelSettings settings, int recentDays, string idPrefix)
    {
        double[] prices = Target(series, settings);
        int count = Math.Min(Math.Min(prices.Length, series.Dates.Length), recentDays);
        int start = Math.Min(prices.Length, series.Dates.Length) - count;
        double[] xs = new double[count];
        double[] ys = new double[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = X(series.Dates[start + i]);
            ys[i] = prices[start + i];
        }

        using var plot = new Plot();

        // Also ScottPlot's process-wide default font: every chart here wants the same one, so that is harmless.
        plot.Font.Set(FontName);
        Scatter history = plot.Add.ScatterLine(xs, ys);
        history.Color = Color.FromHex(PriceColor);
        history.LineWidth = 1.5f;
        history.LegendText = settings.Target;

        if (model is { Forecast.Length: > 0 } && count > 0)
        {
            AddForecast(plot, model.Forecast, xs[^1], ys[^1], settings.IntervalLevel);
        }

        DateTimeXAxis axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is DateTimeAutomatic dates)
        {
            dates.LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (plot.Axes.Left.TickGenerator is NumericAutomatic numbers)
        {
            numbers.LabelFormatter = v => v.ToString("0.######", CultureInfo.InvariantCulture);
        }

        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        return Embeddable(plot.GetSvgXml(Width, Height), idPrefix);
    }

    /// <summary>Returns the SVG without its XML declaration, scalable through a viewBox, and with every id (and every reference to one) renamed to <paramref name="idPrefix"/> plus a counter.</summary>
    internal static string Embeddable(string svg, string idPrefix)
    {
        // Skia numbers clip paths from a process-wide counter, so the same chart gets other ids on
        // each render: renaming them in order of appearance makes equal inputs give equal bytes.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string renamed = IdOrReference().Replace(svg, m =>
        {
            if (!names.TryGetValue(m.Value, out string? name))
            {
                name = idPrefix + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add(m.Value, name);
            }

            return name;
        });

        int root = renamed.IndexOf("<svg", StringComparison.Ordinal);
        if (root < 0)
        {
            throw new InvalidOperationException("ScottPlot returned no <svg> element.");
        }

        var builder = new StringBuilder(renamed.Length + 64);
        builder.Append("<svg class=\"chart\" viewBox=\"0 0 ")
            .Append(Width.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Height.ToString(CultureInfo.InvariantCulture)).Append('"');
        builder.Append(renamed, root + 4, renamed.Length - root - 4);
        return builder.ToString().TrimEnd() + "\n";
    }

    private static void AddForecast(Plot plot, ForecastPoint[] forecast, double lastX, double lastY, double level)
    {
        // Each series starts at the last known price, so the band opens as a cone from today.
        int n = forecast.Length + 1;
        double[] xs = new double[n];
        double[] price = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        xs[0] = lastX;
        price[0] = lower[0] = upper[0] = lastY;
        for (int i = 1; i < n; i++)
        {
            ForecastPoint p = forecast[i - 1];
            xs[i] = X(p.Date);
            price[i] = p.Price;
            lower[i] = p.Lower;
            upper[i] = p.Upper;
        }

        FillY band = plot.Add.FillY(xs, lower, upper);
        band.FillColor = Color.FromHex(BandColor).WithAlpha(0.35);
        band.LineWidth = 0;
        band.LegendText = ReportFormat.Level(level) + " interval";

        Scatter line = plot.Add.ScatterLine(xs, price);
        line.Color = Color.FromHex(ForecastColor);
        line.LineWidth = 2;
        line.LegendText = "Forecast";
    }

    private static double X(DateOnly date) => date.ToDateTime(TimeOnly.MinValue).ToOADate();

    [GeneratedRegex("""(?<=\bid=")[^"]+(?=")|(?<=url\(#)[^)]+(?=\))|(?<=href="#)[^"]+(?=")""", RegexOptions.CultureInvariant)]
    private static partial Regex IdOrReference();
}
