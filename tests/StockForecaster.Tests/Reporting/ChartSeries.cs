using System.Text.RegularExpressions;
using StockForecaster.Reporting;

namespace StockForecaster.Tests.Reporting;

/// <summary>Reads back which data series an SVG chart draws, by the colours the chart gives each series.</summary>
/// <param name="PriceSegments">Line segments of the longest path stroked in the price colour (the legend swatch is one segment).</param>
/// <param name="ForecastSegments">Line segments of the longest path stroked in the forecast colour.</param>
/// <param name="HasBand">Whether a path of more than one segment is filled in the band colour.</param>
internal sealed partial record ChartSeries(int PriceSegments, int ForecastSegments, bool HasBand)
{
    /// <summary>Gets how many of the three series are drawn as data rather than only as a legend swatch.</summary>
    public int Count => (PriceSegments > 1 ? 1 : 0) + (ForecastSegments > 1 ? 1 : 0) + (HasBand ? 1 : 0);

    /// <summary>Finds the series in SVG markup (as written, or as serialized by a browser's DOM).</summary>
    public static ChartSeries Find(string svg)
    {
        (string Stroke, string Fill, int Segments)[] paths = [.. Path().Matches(svg).Select(m => m.Value).Select(p => (
            Attribute(p, "stroke"),
            Attribute(p, "fill"),
            Segments(Attribute(p, "d"))))];
        return new ChartSeries(
            paths.Where(p => Same(p.Stroke, PriceChart.PriceColor)).Select(p => p.Segments).DefaultIfEmpty(0).Max(),
            paths.Where(p => Same(p.Stroke, PriceChart.ForecastColor)).Select(p => p.Segments).DefaultIfEmpty(0).Max(),
            paths.Any(p => Same(p.Fill, PriceChart.BandColor) && p.Segments > 1));
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Attribute(string element, string name)
    {
        Match m = Regex.Match(element, $"\\s{name}=\"([^\"]*)\"");
        return m.Success ? m.Groups[1].Value : string.Empty;
    }

    private static int Segments(string d) => d.Count(c => c is 'L' or 'l' or 'C' or 'c' or 'Q' or 'q');

    [GeneratedRegex("<path\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Path();
}
