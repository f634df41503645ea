using System.Text.RegularExpressions;
using StockForecaster.Models;
using StockForecaster.Reporting;

namespace StockForecaster.Tests.Reporting;

public sealed partial class PriceChartTests
{
    [Fact]
    public void Embeddable_RenamesIdsAndTheirReferencesInOrderOfAppearance()
    {
        const string svg = """
            <?xml version="1.0" encoding="utf-8" ?>
            <svg xmlns="http://www.w3.org/2000/svg" width="900" height="360">
            <clipPath id="cl_9"><rect/></clipPath><g clip-path="url(#cl_9)"/>
            <clipPath id="cl_a"><rect/></clipPath><g clip-path="url(#cl_a)"/><use href="#cl_9"/>
            </svg>
            """;

        string embeddable = PriceChart.Embeddable(svg, "c7-");

        Assert.StartsWith("<svg class=\"chart\" viewBox=\"0 0 900 360\" xmlns=", embeddable, StringComparison.Ordinal);
        Assert.Contains("""<clipPath id="c7-0"><rect/></clipPath><g clip-path="url(#c7-0)"/>""", embeddable, StringComparison.Ordinal);
        Assert.Contains("""<clipPath id="c7-1"><rect/></clipPath><g clip-path="url(#c7-1)"/><use href="#c7-0"/>""", embeddable, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", embeddable, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_TickerWithForecast_DrawsRecentPricesForecastLineAndBand()
    {
        var (clean, model, _) = ReportInputs.Small();

        string svg = PriceChart.Svg(clean.Series[0], model.Tickers[0], model.Settings, recentDays: 250, "c1-");

        ChartSeries series = ChartSeries.Find(svg);
        Assert.Equal(249, series.PriceSegments);
        Assert.Equal(model.Settings.Horizon, series.ForecastSegments);
        Assert.True(series.HasBand);
        Assert.Equal(3, series.Count);
    }

    [Fact]
    public void Svg_TickerWithoutModel_DrawsPricesOnly()
    {
        var (clean, _, _) = ReportInputs.Small();

        string svg = PriceChart.Svg(clean.Series[2], model: null, new ModelSettings(), recentDays: 250, "c1-");

        ChartSeries series = ChartSeries.Find(svg);
        Assert.Equal(clean.Series[2].Dates.Length - 1, series.PriceSegments);
        Assert.Equal(1, series.Count);
    }

    [Fact]
    public void Svg_SameInputTwice_IsByteEqual()
    {
        var (clean, model, _) = ReportInputs.Small();

        string first = PriceChart.Svg(clean.Series[0], model.Tickers[0], model.Settings, 250, "c1-");
        string second = PriceChart.Svg(clean.Series[0], model.Tickers[0], model.Settings, 250, "c1-");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Svg_Labels_UseIsoDatesAndTheNamedFont()
    {
        var (clean, model, _) = ReportInputs.Small();

        string svg = PriceChart.Svg(clean.Series[0], model.Tickers[0], model.Settings, 250, "c1-");

        string[] fonts = [.. FontFamily().Matches(svg).Select(m => m.Groups[1].Value).Distinct()];
        Assert.Equal([PriceChart.FontName], fonts);
        Assert.Matches(@">\s*2020-\d\d-\d\d\s*<", svg);
        Assert.Contains("AdjClose", svg, StringComparison.Ordinal);
        Assert.Contains("95 % interval", svg, StringComparison.Ordinal);
    }

    [GeneratedRegex("font-family=\"([^\"]*)\"")]
    private static partial Regex FontFamily();
}
