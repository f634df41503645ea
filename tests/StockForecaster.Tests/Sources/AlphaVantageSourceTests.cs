using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sluice.Artifacts;
using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

// Every test talks HTTP to a real server on 127.0.0.1; time is a fake clock the test moves, so no retry ever sleeps.
public sealed class AlphaVantageSourceTests : IAsyncLifetime, IDisposable
{
    private const string Key = "Zk3y-s3cr3t+42";
    private const string Daily = """
        {
            "Meta Data": {
                "1. Information": "Daily Prices (open, high, low, close) and Volumes",
                "2. Symbol": "IBM",
                "3. Last Refreshed": "2024-01-05",
                "4. Output Size": "Compact",
                "5. Time Zone": "US/Eastern"
            },
            "Time Series (Daily)": {
                "2024-01-05": { "1. open": "160.1000", "2. high": "161.2500", "3. low": "159.8000", "4. close": "160.9000", "5. volume": "3100200" },
                "2024-01-04": { "1. open": "161.0000", "2. high": "161.9000", "3. low": "159.9000", "4. close": "160.1000", "5. volume": "4025100" },
                "2024-01-03": { "1. open": "162.8000", "2. high": "163.0000", "3. low": "160.7000", "4. close": "161.1000", "5. volume": "4870300" }
            }
        }
        """;

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(10);

    private readonly TempProject _project = new();
    private readonly RecordingLogger _logger = new();
    private readonly ArmedClock _clock = new();
    private readonly HttpClient _http = new();
    private LoopbackServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Whatever happened, the key was never written to a log line.
        Assert.DoesNotContain(Key, _logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), _logger.AllText, StringComparison.Ordinal);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _project.Dispose();
    }

    [Fact]
    public async Task Fetch_CorrectResponse_BecomesTheHeaderAndAscendingLines()
    {
        RawPrices prices = await RunAsync(Serve(Reply.Json(Daily)));

        RawSeries ibm = Assert.Single(prices.Series);
        Assert.Equal("IBM", ibm.Ticker);
        Assert.Equal(["Date", "Open", "High", "Low", "Close", "Volume"], ibm.Header);
        Assert.Equal(
            [
                "2024-01-03,162.8000,163.0000,160.7000,161.1000,4870300",
                "2024-01-04,161.0000,161.9000,159.9000,160.1000,4025100",
                "2024-01-05,160.1000,161.2500,159.8000,160.9000,3100200",
            ],
            ibm.Lines);
        Assert.Equal([3, 2, 1], ibm.LineNumbers);
        byte[] body = Encoding.UTF8.GetBytes(Daily);
        Assert.Equal(
            new SourceInfo("alphavantage", $"{_server!.BaseUrl}?function=TIME_SERIES_DAILY&symbol=ibm&outputsize=compact&datatype=json", Convert.ToHexStringLower(SHA256.HashData(body)), body.Length),
            ibm.Source);
        Assert.Equal([$"/query?function=TIME_SERIES_DAILY&symbol=ibm&outputsize=compact&datatype=json&apikey={Uri.EscapeDataString(Key)}"], _server.Requests);
    }

    [Fact]
    public async Task Fetch_SymbolAndOutputSize_AreSentAsConfigured()
    {
        IngestSettings settings = Settings(Serve(Reply.Json(Daily)));
        settings.Sources[0] = new SourceSettings { Ticker = "TSCO", Kind = "alphavantage", Symbol = "TSCO.LON", OutputSize = "full" };

        RawPrices prices = await RunAsync(settings);

        Assert.Equal("TSCO", prices.Series[0].Ticker);
        Assert.StartsWith("/query?function=TIME_SERIES_DAILY&symbol=TSCO.LON&outputsize=full&datatype=json&apikey=", Assert.Single(_server!.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ApiAndCsvSources_ArePublishedInConfigurationOrder()
    {
        IngestSettings settings = Settings(Serve(Reply.Json(Daily)));
        settings.Sources.Insert(0, new SourceSettings { Ticker = "A", Path = _project.Write("a.csv", "Date,Close\n2024-01-02,1\n") });
        settings.Sources.Add(new SourceSettings { Ticker = "B", Path = _project.Write("b.csv", "Date,Close\n2024-01-02,2\n") });

        RawPrices prices = await RunAsync(settings);

        Assert.Equal(["A", "IBM", "B"], prices.Series.Select(s => s.Ticker));
    }

    [Fact]
    public async Task Fetch_ServerErrorTwice_SucceedsOnTheThirdRequest()
    {
        RawPrices prices = await RunAsync(Serve(Reply.Code(500), Reply.Code(503), Reply.Json(Daily)));

        Assert.Equal(3, prices.Series[0].Lines.Length);
        Assert.Equal(3, _server!.Requests.Count);
        Assert.Equal([1, 2], _logger.Lines.Where(l => l.EventName == "Retrying").Select(l => (int)l.Values["Attempt"]!));
        Assert.Contains("answered HTTP 500", _logger.Lines.First(l => l.EventName == "Retrying").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_429WithRetryAfterSeconds_WaitsExactlyThatLong()
    {
        await RunAsync(Serve(new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "2" }), Reply.Json(Daily)));

        Assert.Equal([TimeSpan.FromSeconds(2)], RetryWaits());
        Assert.Equal(TimeSpan.FromSeconds(2), (TimeSpan)_logger.Lines.Single(l => l.EventName == "Retrying").Values["Delay"]!);
        Assert.Equal(2, _server!.Requests.Count);
    }

    [Fact]
    public async Task Fetch_503WithRetryAfterDate_WaitsUntilThatTime()
    {
        string at = _clock.GetUtcNow().AddSeconds(7).ToString("R", CultureInfo.InvariantCulture);

        await RunAsync(Serve(new Reply(503, Headers: new Dictionary<string, string> { ["Retry-After"] = at }), Reply.Json(Daily)));

        Assert.Equal([TimeSpan.FromSeconds(7)], RetryWaits());
    }

    [Fact]
    public async Task Fetch_RetryAfterLongerThanMaxRetryAfter_WaitsOnlyTheCap()
    {
        await RunAsync(Serve(new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "3600" }), Reply.Json(Daily)));

        Assert.Equal([TimeSpan.FromSeconds(30)], RetryWaits());
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Fetch_KeyRejected_FailsAfterOneRequestNamingTheSecretNotTheKey(int status)
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Code(status, $$"""{"Error": "bad key {{Key}}"}"""))));

        Assert.StartsWith("Alpha Vantage rejected the API key named by secret ALPHAVANTAGE_API_KEY (HTTP " + status, e.Message, StringComparison.Ordinal);
        Assert.EndsWith("check the key.", e.Message, StringComparison.Ordinal);
        AssertNoKey(e);
        Assert.Single(_server!.Requests);
        Assert.Empty(RetryWaits());
    }

    [Fact]
    public async Task Fetch_404_FailsFastPointingAtTheBaseUrl()
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Code(404))));

        Assert.EndsWith("answered HTTP 404 Not Found: check Ingest:AlphaVantage:BaseUrl.", e.Message, StringComparison.Ordinal);
        Assert.Single(_server!.Requests);
    }

    [Fact]
    public async Task Fetch_Other4xx_FailsFastQuotingTheBodyWithTheKeyMasked()
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Code(400, $"bad request for apikey={Key}"))));

        Assert.Contains("HTTP 400 Bad Request: asking again will not help. It said: 'bad request for apikey=***'", e.Message, StringComparison.Ordinal);
        AssertNoKey(e);
        Assert.Single(_server!.Requests);
    }

    [Fact]
    public async Task Fetch_BodyNotJson_FailsFastNamingTheUrlWithoutTheKey()
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json("<html><body>Gateway says hi</body></html>"))));

        Assert.StartsWith($"Alpha Vantage's answer to {_server!.BaseUrl}?function=TIME_SERIES_DAILY&symbol=ibm&outputsize=compact&datatype=json is not JSON", e.Message, StringComparison.Ordinal);
        Assert.Contains("it starts '<html><body>Gateway says hi</body></html>'", e.Message, StringComparison.Ordinal);
        AssertNoKey(e);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Fetch_NoTimeSeries_FailsFastListingTheKeysFound()
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json("""{"Meta Data": {}, "Time Series (Weekly)": {}}"""))));

        Assert.EndsWith("has no \"Time Series (Daily)\" (its keys: \"Meta Data\", \"Time Series (Weekly)\"): expected a TIME_SERIES_DAILY object.", e.Message, StringComparison.Ordinal);
        Assert.Single(_server!.Requests);
    }

    [Fact]
    public async Task Fetch_RecordMissingAField_FailsFastNamingTheDayAndField()
    {
        string body = Daily.Replace("\"4. close\": \"160.1000\", ", "", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json(body))));

        Assert.StartsWith("record 2 (\"2024-01-04\") of \"Time Series (Daily)\" in Alpha Vantage's answer to http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("has no \"4. close\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ErrorMessageBody_FailsFastQuotingIt()
    {
        const string Said = "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.";

        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json($$"""{"Error Message": "{{Said}}"}"""))));

        Assert.Contains($"refused {_server!.BaseUrl}?function=TIME_SERIES_DAILY&symbol=ibm&outputsize=compact&datatype=json: \"{Said}\". Check the source's Symbol", e.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("Error Message", "the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key).")]
    [InlineData("Information", "The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key).")]
    public async Task Fetch_InvalidKeyWording_FailsFastNamingTheSecret(string property, string said)
    {
        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json($$"""{"{{property}}": "{{said}}"}"""))));

        Assert.StartsWith("Alpha Vantage rejected the API key named by secret ALPHAVANTAGE_API_KEY (", e.Message, StringComparison.Ordinal);
        Assert.Single(_server!.Requests);
    }

    [Fact]
    public async Task Fetch_PremiumNotice_FailsFastQuotingIt()
    {
        const string Said = "Thank you for using Alpha Vantage! The outputsize=full parameter value is a premium feature for the TIME_SERIES_DAILY endpoint.";

        var e = await Assert.ThrowsAsync<DataValidationException>(() => RunAsync(Serve(Reply.Json($$"""{"Information": "{{Said}}"}"""))));

        Assert.EndsWith($"with a notice instead of prices: \"{Said}\"", e.Message, StringComparison.Ordinal);
        Assert.Single(_server!.Requests);
    }

    [Theory]
    [InlineData("Note", "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.")]
    [InlineData("Information", "Thank you for using Alpha Vantage! We have detected your API key as " + Key + " and our standard API rate limit is 25 requests per day.")]
    public async Task Fetch_RateLimitNotice_IsRetried(string property, string said)
    {
        RawPrices prices = await RunAsync(Serve(Reply.Json($$"""{"{{property}}": "{{said}}"}"""), Reply.Json(Daily)));

        Assert.Equal(3, prices.Series[0].Lines.Length);
        Assert.Equal(2, _server!.Requests.Count);
        Assert.Contains("rate limit was reached", _logger.Lines.Single(l => l.EventName == "Retrying").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RateLimitedOnEveryAttempt_SurfacesAsHttpRequestExceptionWithoutTheKey()
    {
        string said = $"We have detected your API key as {Key} and our standard API rate limit is 25 requests per day.";

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(Settings(Serve(Reply.Json($$"""{"Information": "{{said}}"}""")), maxAttempts: 3)));

        Assert.StartsWith($"Gave up on {_server!.BaseUrl}?function=TIME_SERIES_DAILY&symbol=ibm&outputsize=compact&datatype=json after 3 attempts: Alpha Vantage's rate limit was reached", e.Message, StringComparison.Ordinal);
        Assert.Contains("detected your API key as *** and", e.Message, StringComparison.Ordinal);
        AssertNoKey(e);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Fetch_ConnectionRefused_IsRetriedThenSurfacesAsHttpRequestException()
    {
        IngestSettings settings = Settings(LoopbackServer.RefusingUrl(), maxAttempts: 3);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(settings));

        Assert.StartsWith("Gave up on http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, RetryWaits().Count);
        AssertNoKey(e);
    }

    [Fact]
    public async Task Fetch_NoWaitsAllowed_RetriesAtOnce()
    {
        IngestSettings settings = Settings(Serve(Reply.Code(500), new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "5" }), Reply.Json(Daily)));
        settings.AlphaVantage.BaseDelay = TimeSpan.Zero;
        settings.AlphaVantage.MaxRetryAfter = TimeSpan.Zero;

        RawPrices prices = await RunAsync(settings);

        Assert.Equal(3, _server!.Requests.Count);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], _logger.Lines.Where(l => l.EventName == "Retrying").Select(l => (TimeSpan)l.Values["Delay"]!));
        Assert.Single(prices.Series);
    }

    [Fact]
    public async Task Fetch_BackoffLongerThanTheCap_WaitsOnlyTheCap()
    {
        IngestSettings settings = Settings(Serve(Reply.Code(500), Reply.Code(500), Reply.Json(Daily)));
        settings.AlphaVantage.BaseDelay = TimeSpan.FromMinutes(5);
        settings.AlphaVantage.MaxRetryAfter = TimeSpan.FromSeconds(3);

        await RunAsync(settings);

        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], RetryWaits());
    }

    [Fact]
    public async Task Fetch_AttemptTimesOut_IsRetried()
    {
        IngestSettings settings = Settings(Serve(new Reply(200, Hang: true), Reply.Json(Daily)));
        settings.AlphaVantage.Timeout = TimeSpan.FromSeconds(5);

        Task<RawPrices> run = StartAsync(settings);
        await _server!.WaitForRequestsAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        RawPrices prices = await _clock.DriveAsync(run, leaveAlone: TimeSpan.FromSeconds(5));

        Assert.Equal(3, prices.Series[0].Lines.Length);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("timed out", _logger.Lines.Single(l => l.EventName == "Retrying").Values["Reason"]);
    }

    [Fact]
    public async Task Fetch_LastAttemptTimesOut_SurfacesAsTimeoutException()
    {
        IngestSettings settings = Settings(Serve(new Reply(200, Hang: true)), maxAttempts: 1);
        settings.AlphaVantage.Timeout = TimeSpan.FromSeconds(5);

        Task<RawPrices> run = StartAsync(settings);
        await _server!.WaitForRequestsAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => run);

        Assert.EndsWith("after 1 attempt: the last got no answer within 00:00:05.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_SecretMissing_FailsBeforeAnyRequestNamingTheSecretAndWhereItLooked()
    {
        IngestSettings settings = Settings(Serve(Reply.Json(Daily)));

        var e = await Assert.ThrowsAsync<DataValidationException>(() => Ingestion.RunAsync(
            settings, _project.Root, new ProjectSecretSource(_project.Root, _ => null), _http, _clock, _logger, CancellationToken.None));

        Assert.StartsWith(
            $"The Alpha Vantage sources need the API key named by secret ALPHAVANTAGE_API_KEY, which is not set: looked in the environment variable ALPHAVANTAGE_API_KEY and the entry \"ALPHAVANTAGE_API_KEY\" of {Path.Combine(_project.Root, "config/secrets.json")}.",
            e.Message,
            StringComparison.Ordinal);
        Assert.Empty(_server!.Requests);
    }

    [Fact]
    public async Task Fetch_KeyFromSecretsFile_IsSentButNeverPublished()
    {
        _project.Write("config/secrets.json", $$"""{ "ALPHAVANTAGE_API_KEY": "{{Key}}" }""");
        IngestSettings settings = Settings(Serve(Reply.Json(Daily)));

        RawPrices prices = await _clock.DriveAsync(
            Ingestion.RunAsync(settings, _project.Root, new ProjectSecretSource(_project.Root, _ => null), _http, _clock, _logger, CancellationToken.None),
            AttemptTimeout);

        Assert.EndsWith($"&apikey={Uri.EscapeDataString(Key)}", Assert.Single(_server!.Requests), StringComparison.Ordinal);
        string published = JsonSerializer.Serialize(prices, JsonArtifactSerializer<RawPrices>.DefaultOptions);
        Assert.DoesNotContain(Key, published, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), published, StringComparison.Ordinal);
        Assert.DoesNotContain("apikey", published, StringComparison.OrdinalIgnoreCase);
    }

    private string Serve(params Reply[] script)
    {
        _server = LoopbackServer.Start(script);
        return _server.BaseUrl;
    }

    private static IngestSettings Settings(string baseUrl, int maxAttempts = 4)
    {
        var settings = new IngestSettings();
        settings.Sources.Add(new SourceSettings { Ticker = "ibm", Kind = "alphavantage" });
        settings.AlphaVantage = new AlphaVantageSettings
        {
            BaseUrl = baseUrl,
            MaxAttempts = maxAttempts,
            Timeout = AttemptTimeout,
            BaseDelay = TimeSpan.FromSeconds(1),
            MaxRetryAfter = TimeSpan.FromSeconds(30),
        };
        return settings;
    }

    private Task<RawPrices> RunAsync(string baseUrl) => RunAsync(Settings(baseUrl));

    private Task<RawPrices> RunAsync(IngestSettings settings) => _clock.DriveAsync(StartAsync(settings), AttemptTimeout);

    private Task<RawPrices> StartAsync(IngestSettings settings) => Ingestion.RunAsync(
        settings, _project.Root, new ProjectSecretSource(_project.Root, name => name == "ALPHAVANTAGE_API_KEY" ? Key : null), _http, _clock, _logger, CancellationToken.None);

    // Every wait armed on the clock except the per-attempt timeouts: the delays between attempts.
    private List<TimeSpan> RetryWaits() => [.. _clock.Armed.Where(d => d != AttemptTimeout)];

    private static void AssertNoKey(Exception e)
    {
        for (Exception? each = e; each is not null; each = each.InnerException)
        {
            Assert.DoesNotContain(Key, each.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Key), each.Message, StringComparison.Ordinal);
        }
    }
}
