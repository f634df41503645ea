using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using StockForecaster.Reporting;
using Xunit.Abstractions;

namespace StockForecaster.Tests.Reporting;

public sealed partial class ReportWriterTests(ITestOutputHelper output)
{
    // The only absolute URIs the page may carry in markup: namespace names, which identify the SVG
    // vocabulary and are never fetched. Anything else with a scheme in an attribute is a request.
    private static readonly string[] NamespaceUris = ["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"];

    private static readonly ReportSettings SmallSettings = new() { MessagesPerFindingGroup = 2 };

    [Fact]
    public void Text_SmallInput_MatchesApprovedFile()
    {
        var (clean, model, raw) = ReportInputs.Small();

        string text = ReportWriter.Text(clean, model, raw, SmallSettings);

        ApprovedFile.Verify(text, "ReportWriterTests.Text_SmallInput");
    }

    [Fact]
    public void Text_RenderedTwice_IsByteEqual()
    {
        var (clean, model, raw) = ReportInputs.Small();

        Assert.Equal(ReportWriter.Text(clean, model, raw, SmallSettings), ReportWriter.Text(clean, model, raw, SmallSettings));
    }

    [Fact]
    public void Html_RenderedTwice_IsByteEqual()
    {
        var (clean, model, raw) = ReportInputs.Small();

        string first = ReportWriter.Html(clean, model, raw, SmallSettings);
        string second = ReportWriter.Html(clean, model, raw, SmallSettings);

        Assert.Contains("<svg", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void TextAndHtml_UnderAnotherCulture_EqualInvariantOutput(string culture)
    {
        var (clean, model, raw) = ReportInputs.Small();
        string text = ReportWriter.Text(clean, model, raw, SmallSettings);
        string html = ReportWriter.Html(clean, model, raw, SmallSettings);

        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            Assert.Equal(text, ReportWriter.Text(clean, model, raw, SmallSettings));
            Assert.Equal(html, ReportWriter.Html(clean, model, raw, SmallSettings));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Html_HostileTickerMessageAndSource_AreEscaped()
    {
        const string ticker = "<script>alert('t')</script>";
        var (clean, model, raw) = ReportInputs.Small(ticker, hostileMessage: " </td><script>alert(1)</script> & \"q\" <img src=x onerror=alert(2)>");
        raw = new Data.RawPrices([raw.Series[0] with { Source = raw.Series[0].Source with { Location = "data/<b onmouseover=alert(3)>x</b>.csv" } }, raw.Series[1]]);

        string html = ReportWriter.Html(clean, model, raw, SmallSettings);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h2>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h2>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data/&lt;b onmouseover=alert(3)&gt;x&lt;/b&gt;.csv", html, StringComparison.Ordinal);
        Assert.Empty(ElementsNamed(Parse(html), "script"));
    }

    [Fact]
    public void Html_ControlCharactersInMessages_AreReplaced()
    {
        var (clean, model, raw) = ReportInputs.Small(hostileMessage: "\u0001 line\r\nbreak\u001b[31m");

        string html = ReportWriter.Html(clean, model, raw, SmallSettings);
        string text = ReportWriter.Text(clean, model, raw, SmallSettings);

        Parse(html);
        Assert.Contains("mean.  line  break [31m", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Html_MarkupReferencesNoExternalResource()
    {
        var (clean, model, raw) = ReportInputs.Small();

        XDocument page = Parse(ReportWriter.Html(clean, model, raw, SmallSettings));

        foreach (XAttribute attribute in page.Descendants().Attributes())
        {
            string value = attribute.Value.Trim();
            if (attribute.IsNamespaceDeclaration)
            {
                Assert.Contains(value, NamespaceUris);
                continue;
            }

            string name = attribute.Name.LocalName;
            Assert.False(name is "src" or "srcset" or "action" or "formaction" or "poster" or "data" or "background", $"Attribute '{name}' loads a resource: '{value}'.");
            if (name == "href")
            {
                Assert.StartsWith("#", value, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch(SchemeOrNetworkPath(), value);
            Assert.DoesNotContain("url(", value.Replace("url(#", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        foreach (string element in (string[])["script", "link", "img", "iframe", "object", "embed", "image", "use", "base", "audio", "video", "source", "foreignObject"])
        {
            Assert.Empty(ElementsNamed(page, element));
        }

        string css = string.Concat(ElementsNamed(page, "style").Select(e => e.Value));
        Assert.DoesNotContain("@import", css, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", css, StringComparison.OrdinalIgnoreCase);

        // The source URL of BBB is shown to the reader as text, never turned into a link.
        Assert.Contains(page.Descendants().Where(e => e.Name.LocalName == "td"), e => e.Value.Contains("https://www.alphavantage.co/query?", StringComparison.Ordinal) && !e.HasElements);
    }

    [Fact]
    public void Html_EveryAbsoluteUri_IsAnAllowedNamespaceOrTheShownSourceLocation()
    {
        var (clean, model, raw) = ReportInputs.Small();
        string[] allowed = [.. NamespaceUris, "https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&amp;symbol=BBB&amp;outputsize=full"];

        string html = ReportWriter.Html(clean, model, raw, SmallSettings);

        foreach (Match match in AbsoluteUri().Matches(html))
        {
            Assert.Contains(allowed, a => html.AsSpan(match.Index).StartsWith(a, StringComparison.Ordinal));
        }

        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IdsAreUniqueAcrossThePage()
    {
        var (clean, model, raw) = ReportInputs.Small();

        XDocument page = Parse(ReportWriter.Html(clean, model, raw, new ReportSettings { MessagesPerFindingGroup = 2, ChartTickers = 3 }));

        string[] ids = [.. page.Descendants().Attributes("id").Select(a => a.Value)];
        Assert.Equal(3, ElementsNamed(page, "svg").Count());
        Assert.True(ids.Length > 3);
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Html_ChartTickers_LimitsCharts()
    {
        var (clean, model, raw) = ReportInputs.Small();

        Assert.Single(ElementsNamed(Parse(ReportWriter.Html(clean, model, raw, new ReportSettings { ChartTickers = 1 })), "svg"));
        Assert.Empty(ElementsNamed(Parse(ReportWriter.Html(clean, model, raw, new ReportSettings { ChartTickers = 0 })), "svg"));
        Assert.Single(ElementsNamed(Parse(ReportWriter.Html(clean, model, raw, new ReportSettings { ChartTickers = 5, DetailTickers = 1 })), "svg"));
    }

    [Fact]
    public void TextAndHtml_DetailTickers_SummarizeEveryTickerButDetailOnlyTheFirst()
    {
        var (clean, model, raw) = ReportInputs.Small();
        var settings = new ReportSettings { DetailTickers = 1 };

        string text = ReportWriter.Text(clean, model, raw, settings);
        XDocument page = Parse(ReportWriter.Html(clean, model, raw, settings));

        Assert.Contains("Details follow for the first 1 of 3 tickers (setting Report:DetailTickers).", text, StringComparison.Ordinal);
        Assert.Contains("\nAAA\n===", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nBBB\n===", text, StringComparison.Ordinal);
        Assert.Single(ElementsNamed(page, "section"), s => (string?)s.Attribute("class") == "ticker");
        Assert.Equal(3, ElementsNamed(page, "table").First(t => t.Descendants().Any(d => d.Name.LocalName == "th" && d.Value == "Horizon")).Descendants().Count(d => d.Name.LocalName == "tr") - 1);
    }

    [Fact]
    public void Text_WithoutRawPrices_PrintsSourcesAsUnknown()
    {
        var (clean, model, _) = ReportInputs.Small();

        string text = ReportWriter.Text(clean, model, raw: null, SmallSettings);

        Assert.Equal(3, Regex.Count(text, "Source +unknown \\(no ingest record for this ticker\\)"));
    }

    [Fact]
    public void Text_InvalidSettings_ThrowsNamingTheSetting()
    {
        var (clean, model, raw) = ReportInputs.Small();

        ValidationException e = Assert.Throws<ValidationException>(() => ReportWriter.Text(clean, model, raw, new ReportSettings { RecentDays = 1 }));

        Assert.Contains("RecentDays", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAndHtml_FiveHundredTickers_ListEveryTickerAndStayFast()
    {
        var (clean, model, raw) = ReportInputs.Many(500, 1_000);
        ReportWriter.Text(clean, model, raw, new ReportSettings());

        var watch = Stopwatch.StartNew();
        string text = ReportWriter.Text(clean, model, raw, new ReportSettings());
        TimeSpan textTime = watch.Elapsed;
        watch.Restart();
        string html = ReportWriter.Html(clean, model, raw, new ReportSettings());
        TimeSpan htmlTime = watch.Elapsed;

        output.WriteLine($"500 tickers: text {textTime.TotalMilliseconds:F0} ms ({text.Length / 1024} KiB), html with 5 charts {htmlTime.TotalMilliseconds:F0} ms ({html.Length / 1024} KiB)");
        Assert.Equal(500, Regex.Count(text, @"^ +\d+  T\d{3} ", RegexOptions.Multiline));
        Assert.Equal(500, Regex.Count(html, "<section class=\"ticker\""));
        Assert.Equal(5, Regex.Count(html, "<svg "));

        // Generous on a shared two-core machine; it catches a quadratic join, not a slow CPU.
        Assert.True(textTime < TimeSpan.FromSeconds(10), $"The text report of 500 tickers took {textTime}.");
    }

    /// <summary>Parses the page as XML: the renderer writes well-formed markup, so a parse failure means broken escaping.</summary>
    internal static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> ElementsNamed(XDocument page, string localName) =>
        page.Descendants().Where(e => string.Equals(e.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^(?:[a-z][a-z0-9+.-]*:|//)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemeOrNetworkPath();

    [GeneratedRegex("https?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteUri();
}
