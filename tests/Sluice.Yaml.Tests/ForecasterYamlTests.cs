namespace Sluice.Yaml.Tests;

/// <summary>examples/StockForecasterYaml, the forecaster as a pipeline of Python scripts, run by the sluice tool on a copy of the example.</summary>
public sealed class ForecasterYamlTests : IDisposable
{
    private const string Csv = "data/sp500-recent.csv";
    private readonly string _project = Directory.CreateTempSubdirectory("sluice-forecaster-yaml-").FullName;

    public ForecasterYamlTests()
    {
        string example = Path.Combine(RepositoryRoot(), "examples", "StockForecasterYaml");
        foreach (string file in Directory.EnumerateFiles(example, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(example, file);
            if (relative.StartsWith(".sluice", StringComparison.Ordinal) || relative.StartsWith("logs", StringComparison.Ordinal)
                || relative.StartsWith("reports", StringComparison.Ordinal) || Path.GetFileName(relative).StartsWith("prices_", StringComparison.Ordinal)
                || Path.GetFileName(relative) == "model.json")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_project, relative))!);
            File.Copy(file, Path.Combine(_project, relative));
        }
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task Run_BundledData_PublishesTheBriefsOutputsThenReusesEverything()
    {
        (int code, string output, string error) = await SluiceToolTests.SluiceAsync(_project, "run");

        Assert.True(code == 0, output + error);
        foreach (string path in (string[])["data/prices_raw.json", "data/prices_clean.json", "data/model.json", "reports/report.txt"])
        {
            Assert.True(File.Exists(Path.Combine(_project, path)), path);
        }

        string report = await File.ReadAllTextAsync(Path.Combine(_project, "reports", "report.txt"));
        Assert.Contains("800 trading days, 2017-02-13 to 2020-04-17", report);
        Assert.Matches(@"Theil's U 0\.\d{4}", report);

        (int again, string second, _) = await SluiceToolTests.SluiceAsync(_project, "run");
        Assert.Equal(0, again);
        Assert.Contains("0 of 4 steps to run, 4 to reuse", second);
    }

    [Fact]
    public async Task Run_TwoWeekdaysMissing_CleanFailsNamingThemAndTheModelIsNotRun()
    {
        string csv = Path.Combine(_project, Csv);
        File.WriteAllLines(csv, File.ReadAllLines(csv).Where(l => !l.StartsWith("2019-07-09", StringComparison.Ordinal) && !l.StartsWith("2019-07-10", StringComparison.Ordinal)));

        (int code, string output, string error) = await SluiceToolTests.SluiceAsync(_project, "run");

        Assert.Equal(1, code);
        Assert.Contains("missing data days between 2019-07-08 and 2019-07-11: 2019-07-09, 2019-07-10", output + error);
        Assert.False(File.Exists(Path.Combine(_project, "data", "prices_clean.json")));
        Assert.False(File.Exists(Path.Combine(_project, "data", "model.json")));
    }

    [Fact]
    public async Task Run_RenamedColumn_CleanFailsWithTheSchemaDiff()
    {
        string csv = Path.Combine(_project, Csv);
        string[] lines = File.ReadAllLines(csv);
        lines[0] = lines[0].Replace("adjclose", "adj_close", StringComparison.Ordinal);
        File.WriteAllLines(csv, lines);

        (int code, string output, string error) = await SluiceToolTests.SluiceAsync(_project, "run");

        Assert.Equal(1, code);
        Assert.Contains("schema drift", output + error);
        Assert.Contains("schema drift: added ['adj_close']; removed ['adjclose']", output + error);
    }

    [Fact]
    public async Task Run_ModelDiverges_FailsAndTheLastGoodModelStaysPublished()
    {
        (int first, _, _) = await SluiceToolTests.SluiceAsync(_project, "run");
        Assert.Equal(0, first);
        byte[] lastGood = await File.ReadAllBytesAsync(Path.Combine(_project, "data", "model.json"));

        // A negative margin demands a model better than the random walk by half: this one is not, so it diverges.
        string yaml = Path.Combine(_project, "sluice.yaml");
        await File.WriteAllTextAsync(yaml, (await File.ReadAllTextAsync(yaml)).Replace("DIVERGENCE_MARGIN: \"0.10\"", "DIVERGENCE_MARGIN: \"-0.5\"", StringComparison.Ordinal));
        (int code, string output, string error) = await SluiceToolTests.SluiceAsync(_project, "run");

        Assert.Equal(1, code);
        Assert.Contains("model diverged: backtest RMSE", output + error);
        Assert.Equal(lastGood, await File.ReadAllBytesAsync(Path.Combine(_project, "data", "model.json")));
        Assert.Contains("\"Kind\":\"step-failed\"", await File.ReadAllTextAsync(Path.Combine(_project, "logs", "alerts.jsonl")));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sluice.slnx not found above " + AppContext.BaseDirectory);
    }
}
