using System.Text.RegularExpressions;
using SkiaSharp;
using StockForecaster.Reporting;
using Xunit.Abstractions;

namespace StockForecaster.Tests.Reporting;

/// <summary>Opens the HTML report in a real headless Chromium (Debian package <c>chromium</c>), with the network replaced by a loopback sink.</summary>
/// <remarks>Fails when Chromium is missing; set <c>SLUICE_SKIP_BROWSER_TESTS=1</c> on a developer machine to skip instead.</remarks>
public sealed partial class HtmlReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("sluice-report-html-");

    [BrowserFact]
    public async Task DumpDom_ChartedTickers_EachHaveAnSvgWithPriceForecastAndBand()
    {
        var (clean, model, raw) = ReportInputs.Small();
        string html = ReportWriter.Html(clean, model, raw, new ReportSettings { ChartTickers = 2 });
        string page = Write("report.html", html);

        BrowserRun run = await Chromium.RunAsync(page, "--dump-dom");

        Assert.True(run.ExitCode == 0, $"Chromium exited with {run.ExitCode}: {run.StandardError}");
        string[] charts = [.. Chart().Matches(run.StandardOutput).Select(m => m.Value)];
        Assert.Equal(2, charts.Length);
        ChartSeries aaa = ChartSeries.Find(charts[0]);
        ChartSeries bbb = ChartSeries.Find(charts[1]);
        Assert.Equal((3, 249, 5), (aaa.Count, aaa.PriceSegments, aaa.ForecastSegments));
        Assert.Equal((3, 39, 5), (bbb.Count, bbb.PriceSegments, bbb.ForecastSegments));
        Assert.Contains("<section class=\"ticker\" id=\"t1\"><h2>AAA</h2>", Regex.Replace(run.StandardOutput, ">\\s+<", "><"), StringComparison.Ordinal);
        AssertNoRequestFromPage(run, html);
    }

    [BrowserFact]
    public async Task Screenshot_FirstChart_ShowsPriceLineForecastLineAndBand()
    {
        var (clean, model, raw) = ReportInputs.Small();
        string html = ReportWriter.Html(clean, model, raw, new ReportSettings { ChartTickers = 1, DetailTickers = 1 });
        string page = Write("report.html", html);
        string png = Path.Combine(folder.FullName, "report.png");

        BrowserRun run = await Chromium.RunAsync(page, $"--screenshot={png}", "--window-size=1280,1800");

        Assert.True(File.Exists(png), $"Chromium wrote no screenshot (exit code {run.ExitCode}): {run.StandardError}");
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException($"{png} is not an image.");
        int price = Pixels(bitmap, SKColor.Parse(PriceChart.PriceColor));
        int forecast = Pixels(bitmap, SKColor.Parse(PriceChart.ForecastColor));
        int band = Pixels(bitmap, OverWhite(SKColor.Parse(PriceChart.BandColor), 0.35));
        output.WriteLine($"{bitmap.Width}x{bitmap.Height}: price {price} px, forecast {forecast} px, band {band} px");
        Assert.True(price > 500, $"The price line shows {price} pixels in its colour.");
        Assert.True(forecast > 20, $"The forecast line shows {forecast} pixels in its colour.");
        Assert.True(band > 100, $"The interval band shows {band} pixels in its colour.");
        AssertNoRequestFromPage(run, html);
    }

    [BrowserFact]
    public async Task Sink_PageThatLoadsAnExternalImage_IsCaught()
    {
        // Proves the no-request checks above can fail: a page request must reach the sink.
        string html = "<!DOCTYPE html><html><body><img src=\"http://sluice-sink-check.invalid/x.png\"></body></html>";
        string page = Write("external.html", html);

        BrowserRun run = await Chromium.RunAsync(page, "--dump-dom");

        Assert.Contains("sluice-sink-check.invalid", run.Hosts);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private static void AssertNoRequestFromPage(BrowserRun run, string html)
    {
        // Chromium calls its own services (time, updates, accounts) whatever the page; those hit the
        // sink and go no further. A page without script can only request what it names, so a host
        // the page mentions that the browser asked for means the page made a request.
        string[] fromPage = [.. run.Hosts.Where(h => html.Contains(h, StringComparison.OrdinalIgnoreCase))];
        Assert.True(fromPage.Length == 0, $"The page made network requests to: {string.Join(", ", fromPage)}");
    }

    private static SKColor OverWhite(SKColor color, double alpha) => new(
        (byte)Math.Round(255 - ((255 - color.Red) * alpha)),
        (byte)Math.Round(255 - ((255 - color.Green) * alpha)),
        (byte)Math.Round(255 - ((255 - color.Blue) * alpha)));

    private static int Pixels(SKBitmap bitmap, SKColor color)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.Red) + Math.Abs(p.Green - color.Green) + Math.Abs(p.Blue - color.Blue) <= 24)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private string Write(string name, string html)
    {
        string path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, html);
        return path;
    }

    [GeneratedRegex("<svg\\b[^>]*class=\"chart\"[^>]*>.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Chart();
}
