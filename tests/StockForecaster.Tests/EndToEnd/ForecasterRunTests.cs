using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Cli;
using StockForecaster.Tests.Sources;

namespace StockForecaster.Tests.EndToEnd;

/// <summary>The forecaster end to end on the bundled real S&amp;P 500 data: the brief's outputs, and each of its failure points caught.</summary>
public sealed class ForecasterRunTests : IDisposable
{
    private const string Csv = "data/sp500-2000.csv";
    private readonly ForecasterProject _project = new();

    public void Dispose() => _project.Dispose();

    private string[] CsvLines() => File.ReadAllLines(_project.PathTo(Csv));

    private void WriteCsv(IEnumerable<string> lines) => File.WriteAllText(_project.PathTo(Csv), string.Join('\n', lines) + "\n");

    private async Task<JsonElement> StepAsync(string step)
    {
        var (_, json, _) = await _project.RunAsync("show", "last", "--json");
        return JsonDocument.Parse(json).RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step);
    }

    private static string LastError(JsonElement step) =>
        step.GetProperty("attempts").EnumerateArray().Last().GetProperty("error").GetString() ?? "";

    [Fact]
    public async Task Run_BundledData_PublishesTheBriefsOutputsThenReusesEverything()
    {
        var (exit, output, error) = await _project.RunAsync("run");

        Assert.True(exit == ExitCodes.Success, output + error);
        foreach (string path in (string[])["data/prices_raw.json", "data/prices_clean.json", "data/model.json", "reports/report.txt", "reports/report.html"])
        {
            Assert.True(new FileInfo(_project.PathTo(path)).Length > 0, path);
        }

        using JsonDocument model = JsonDocument.Parse(_project.Read("data/model.json"));
        JsonElement spx = model.RootElement.GetProperty("Tickers")[0];
        Assert.Equal("SPX", spx.GetProperty("Ticker").GetString());
        Assert.InRange(spx.GetProperty("Ar").GetProperty("TheilU").GetDouble(), 0.8, 1.1);
        Assert.Equal(64, model.RootElement.GetProperty("DataHash").GetString()!.Length);
        string report = _project.Read("reports/report.txt");
        Assert.Contains("2000-01-03 .. 2020-04-17", report);
        Assert.Contains("csv data/sp500-2000.csv", report);

        var (again, second, _) = await _project.RunAsync("run");
        Assert.Equal(ExitCodes.Success, again);
        Assert.Contains("0 steps succeeded, 5 reused", second);
    }

    [Fact]
    public async Task Run_BundledData_StepsRecordTheirMeasurementsWithTheRun()
    {
        var (exit, output, error) = await _project.RunAsync("run");
        Assert.True(exit == ExitCodes.Success, output + error);

        var (_, json, _) = await _project.RunAsync("show", "last", "--json");
        Dictionary<string, double> measured = JsonDocument.Parse(json).RootElement.GetProperty("measurements").EnumerateArray()
            .ToDictionary(m => $"{m.GetProperty("step").GetString()}.{m.GetProperty("name").GetString()}", m => m.GetProperty("value").GetDouble());
        int rows = CsvLines().Skip(1).Count(l => l.Length > 0);
        Assert.Equal(rows, measured["ingest.rows_ingested"]);
        Assert.Equal(rows, measured["clean.rows_clean"]);
        Assert.Equal(0, measured["clean.tickers_with_missing_days"]);
        Assert.Equal(1, measured["model.tickers_modelled"]);
        Assert.InRange(measured["model.median_theil_u"], 0.5, 1.5);

        // Reused steps record nothing: the measurements describe the run that did the work.
        await _project.RunAsync("run");
        var (_, again, _) = await _project.RunAsync("show", "last", "--json");
        Assert.Empty(JsonDocument.Parse(again).RootElement.GetProperty("measurements").EnumerateArray());
    }

    [Fact]
    public async Task Run_NewAsOfDateWithUnchangedFiles_RefetchesThenReusesEverythingDownstream()
    {
        await _project.RunAsync("run");
        _project.Variables["SLUICE_Ingest__AsOf"] = "2020-04-20";

        var (_, plan, _) = await _project.RunAsync("plan");
        Assert.Matches(@"ingest +run +parameter Ingest\.AsOf null -> ""?2020-04-20""?", plan);

        var (exit, output, _) = await _project.RunAsync("run");

        // Same files, same raw bytes: early cut-off reuses clean, model and the reports.
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("1 steps succeeded, 4 reused", output);
    }

    [Fact]
    public async Task Plan_SourceFileEdited_NamesTheFileAsTheReason()
    {
        await _project.RunAsync("run");
        string[] lines = CsvLines();
        lines[^1] = lines[^1].Replace(",2874.560059,", ",2874.560058,", StringComparison.Ordinal);
        WriteCsv(lines);

        var (_, plan, _) = await _project.RunAsync("plan");

        Assert.Matches(@"ingest +run +input 'files:sources:data/sp500-2000\.csv' changed \([0-9a-f]{8} -> [0-9a-f]{8}\)", plan);
        Assert.Matches(@"model +run +input 'clean' will change", plan);
    }

    [Fact]
    public async Task Run_ExchangeClosedDays_AreNotReportedMissing()
    {
        Assert.Equal(ExitCodes.Success, (await _project.RunAsync("run")).Exit);

        // The bundled data has no rows on the days the NYSE was closed (9/11, Hurricane Sandy, holidays): none may be called missing.
        string[] dates = [.. CsvLines().Skip(1).Select(l => l[..10])];
        Assert.DoesNotContain("2001-09-11", dates);
        Assert.DoesNotContain("2012-10-29", dates);
        Assert.DoesNotContain("2018-12-05", dates);
        using JsonDocument clean = JsonDocument.Parse(_project.Read("data/prices_clean.json"));
        Assert.DoesNotContain(clean.RootElement.GetProperty("Findings").EnumerateArray(), f => f.GetProperty("Code").GetString() is "missing-days" or "non-trading-day");
    }

    [Fact]
    public async Task Run_WarningsAlertedWhenConfigured_RaisesOneDataQualityAlertAndSucceeds()
    {
        _project.Variables["SLUICE_Alerts__OnDataQualityWarnings"] = "true";
        _project.Variables["SLUICE_Sluice__Alerts__Sinks__log__Path"] = "logs/quality.jsonl";

        var (exit, output, error) = await _project.RunAsync("run");

        Assert.True(exit == ExitCodes.Success, output + error);
        LoggedAlert alert = Assert.Single(AlertFile.Read(_project.Root, "logs/quality.jsonl"));
        Assert.Equal(("data-quality", "clean"), (alert.Kind, alert.Step));
        Assert.Contains("3 outlier", alert.Message);
        Assert.Empty(AlertFile.Read(_project.Root));
    }

    [Fact]
    public async Task Run_AlertLogOutsideTheProject_IsAConfigurationError()
    {
        _project.Variables["SLUICE_Sluice__Alerts__Sinks__log__Path"] = "../elsewhere/alerts.jsonl";

        var (exit, _, error) = await _project.RunAsync("run");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Sluice:Alerts:Sinks:log:Path", error);
        Assert.False(File.Exists(_project.PathTo("data/prices_raw.json")));
    }

    [Fact]
    public async Task Run_MissingTradingDay_FailsCleanNamingTheDateAndPublishesNothing()
    {
        WriteCsv(CsvLines().Where(l => !l.StartsWith("2015-03-04", StringComparison.Ordinal)));

        var (exit, _, _) = await _project.RunAsync("run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        string error = LastError(await StepAsync("clean"));
        Assert.Contains("2015-03-04", error);
        Assert.Contains("missing", error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(_project.PathTo("data/prices_clean.json")));
        Assert.Contains(AlertFile.Read(_project.Root), a => a.Kind == "data-quality" && a.Message.Contains("2015-03-04", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_MissingTradingDayWithFillForward_SucceedsAndRecordsTheFilledDay()
    {
        WriteCsv(CsvLines().Where(l => !l.StartsWith("2015-03-04", StringComparison.Ordinal)));
        string contract = _project.Read("config/contract.json").Replace("\"missingDays\": \"fail\"", "\"missingDays\": \"fill-forward\"", StringComparison.Ordinal);
        _project.Write("config/contract.json", contract);

        var (exit, output, error) = await _project.RunAsync("run");

        Assert.True(exit == ExitCodes.Success, output + error);
        using JsonDocument clean = JsonDocument.Parse(_project.Read("data/prices_clean.json"));
        Assert.Equal("fill-forward", clean.RootElement.GetProperty("MissingDayPolicy").GetString());
        JsonElement series = clean.RootElement.GetProperty("Series")[0];
        Assert.Equal(["2015-03-04"], series.GetProperty("FilledDates").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Run_RenamedColumn_FailsWithTheSchemaDiff()
    {
        string[] lines = CsvLines();
        lines[0] = lines[0].Replace(",close,", ",closing price,", StringComparison.Ordinal);
        WriteCsv(lines);

        var (_, output, _) = await _project.RunAsync("run");

        string error = LastError(await StepAsync("clean"));
        Assert.Contains("renamed 'close' -> 'closing price'", error);

        // The console names the problem under the failure, not only the log.
        Assert.Contains("SPX: data/sp500-2000.csv: schema drift from the contract: renamed 'close' -> 'closing price'", output);
    }

    [Fact]
    public async Task Run_RemovedColumn_FailsWithTheSchemaDiff()
    {
        WriteCsv(CsvLines().Select(l => l[..l.LastIndexOf(',')]));

        await _project.RunAsync("run");

        string error = LastError(await StepAsync("clean"));
        Assert.Contains("removed", error);
        Assert.Contains("volume", error);
    }

    [Fact]
    public async Task Run_TextInAPriceColumn_NamesFileLineAndColumn()
    {
        string[] lines = CsvLines();
        string[] cells = lines[1234].Split(',');
        cells[4] = "n/a";
        lines[1234] = string.Join(',', cells);
        WriteCsv(lines);

        await _project.RunAsync("run");

        string error = LastError(await StepAsync("clean"));
        Assert.Contains("data/sp500-2000.csv:1235:5", error);
        Assert.Contains("close", error);
        Assert.Contains("'n/a'", error);
    }

    [Fact]
    public async Task Run_ModelDiverges_FailsRaisesAnAlertAndKeepsTheLastGoodModel()
    {
        Assert.Equal(ExitCodes.Success, (await _project.RunAsync("run")).Exit);
        byte[] lastGood = File.ReadAllBytes(_project.PathTo("data/model.json"));

        // The last 800 days flat: every return in the window is zero, so the regression is singular and the model diverges.
        string[] lines = CsvLines();
        for (int i = lines.Length - 800; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            lines[i] = $"{cells[0]},1000.0,1000.0,1000.0,1000.0,1000.0,{cells[6]}";
        }

        WriteCsv(lines);
        string contract = _project.Read("config/contract.json").Replace("\"staleDays\": 5", "\"staleDays\": 10000", StringComparison.Ordinal);
        _project.Write("config/contract.json", contract);

        var (exit, _, _) = await _project.RunAsync("run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        JsonElement model = await StepAsync("model");
        Assert.Equal("failed", model.GetProperty("status").GetString());
        Assert.Contains("diverged", LastError(model), StringComparison.OrdinalIgnoreCase);
        Assert.Single(model.GetProperty("attempts").EnumerateArray());
        Assert.Equal(lastGood, File.ReadAllBytes(_project.PathTo("data/model.json")));
        IReadOnlyList<LoggedAlert> alerts = AlertFile.Read(_project.Root);
        Assert.Contains(alerts, a => a.Kind == "model-divergence" && a.Step == "model");
        Assert.Contains(alerts, a => a.Kind == "step-failed" && a.Step == "model");
        Assert.Contains(alerts, a => a.Kind == "run-failed");
        Assert.Equal("upstream-failed", (await StepAsync("report")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_ApiAnswers500TwiceThen200_SucceedsAfterRetries()
    {
        await using LoopbackServer api = LoopbackServer.Start(Reply.Code(500), Reply.Code(500), Reply.Json(AlphaVantageBody("IBM", CsvLines().Skip(1).TakeLast(900))));
        _project.Write("config/secrets.json", """{ "ALPHAVANTAGE_API_KEY": "k3y-for-the-test" }""");
        _project.Write("config/appsettings.Testing.json", $$"""
            {
              "Ingest": {
                "Sources": [ { "Ticker": "IBM", "Kind": "alphavantage" } ],
                "AlphaVantage": { "BaseUrl": "{{api.BaseUrl}}", "BaseDelay": "00:00:00", "MaxAttempts": 4 }
              }
            }
            """);
        _project.Variables["SLUICE_ENVIRONMENT"] = "Testing";

        var (exit, output, error) = await _project.RunAsync("run");

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Equal(3, api.Requests.Count);
        Assert.Contains("\"IBM\"", _project.Read("data/model.json"));
        foreach (string file in Directory.GetFiles(_project.Root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("secrets.json", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("k3y-for-the-test", File.ReadAllText(file, Encoding.Latin1));
        }
    }

    [Fact]
    public async Task Run_ApiKeyAsSluiceSecret_IsSentAndMaskedInEveryFileAndRecord()
    {
        // The API rejects the key once (HTTP 401 names the request URL, key included, in .NET's message) after a 500:
        // then Sluice must keep the key out of the step's failure, logs, alerts and run store.
        const string Key = "av-k3y-from-sluice-9f2e";
        await using LoopbackServer api = LoopbackServer.Start(Reply.Code(500), Reply.Code(401));
        _project.Write("config/appsettings.Testing.json", $$"""
            {
              "Ingest": {
                "Sources": [ { "Ticker": "IBM", "Kind": "alphavantage" } ],
                "AlphaVantage": { "BaseUrl": "{{api.BaseUrl}}", "BaseDelay": "00:00:00", "MaxAttempts": 2 }
              }
            }
            """);
        _project.Variables["SLUICE_ENVIRONMENT"] = "Testing";
        _project.Variables["SLUICE_Ingest__AlphaVantage__ApiKey"] = Key;

        var (exit, output, error) = await _project.RunAsync("run");
        var (_, config, _) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains(api.Requests, r => r.Contains($"apikey={Key}", StringComparison.Ordinal));
        Assert.Matches(@"Ingest:AlphaVantage:ApiKey\s+\*\*\*\s+env SLUICE_Ingest__AlphaVantage__ApiKey", config);
        Assert.DoesNotContain(Key, output + error + config, StringComparison.Ordinal);
        foreach (string file in Directory.GetFiles(_project.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Key, File.ReadAllText(file, Encoding.Latin1), StringComparison.Ordinal);
        }

        Assert.Contains(AlertFile.Read(_project.Root), a => a.Kind == "step-failed" && a.Step == "ingest");
    }

    /// <summary>Builds an Alpha Vantage TIME_SERIES_DAILY answer (newest first) from Yahoo-layout lines.</summary>
    private static string AlphaVantageBody(string symbol, IEnumerable<string> lines)
    {
        var series = new StringBuilder();
        foreach (string line in lines.Reverse())
        {
            string[] c = line.Split(',');
            if (series.Length > 0)
            {
                series.Append(",\n");
            }

            series.Append(CultureInfo.InvariantCulture, $"\"{c[0]}\": {{\"1. open\": \"{c[1]}\", \"2. high\": \"{c[2]}\", \"3. low\": \"{c[3]}\", \"4. close\": \"{c[4]}\", \"5. volume\": \"{c[6]}\"}}");
        }

        return $$"""
            {
              "Meta Data": { "1. Information": "Daily Prices (open, high, low, close) and Volumes", "2. Symbol": "{{symbol}}", "3. Last Refreshed": "2020-04-17", "4. Output Size": "Compact", "5. Time Zone": "US/Eastern" },
              "Time Series (Daily)": {
            {{series}}
              }
            }
            """;
    }
}
