using System.Text.Json;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Commands;

/// <summary>'artifacts', 'artifacts show' and 'artifacts trace' over real SQLite checkpoints and a real artifact store.</summary>
public sealed class ArtifactsTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public ArtifactsTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    /// <summary>parity -> label -> report (published to reports/parity.txt).</summary>
    internal static Pipeline Parity(string labelVersion = "1") => Pipeline.Define("parity", p =>
    {
        Artifact<DiamondSettings> settings = p.Parameters<DiamondSettings>("Diamond");
        Artifact<int> parity = p.Step("parity").Executes(settings, (ctx, s) => s.Start % 2);
        Artifact<string> label = p.Step("label").Version(labelVersion).Executes(parity, (ctx, x) => x == 0 ? "even" : "odd");
        p.Step("report").Publish("reports/parity.txt").Executes(label, (ctx, l) => $"parity: {l}");
    });

    private async Task<List<JsonElement>> ListAsync(params string[] args)
    {
        var (exit, json, error) = await _cli.RunAsync(() => Parity(), ["artifacts", .. args, "--json"]);
        Assert.True(exit == ExitCodes.Success, error);
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray()];
    }

    [Fact]
    public async Task Artifacts_AfterTwoRuns_ListsEveryVersionNewestFirst()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _cli.Variables["SLUICE_Diamond__Start"] = "2";
        await _cli.RunAsync(() => Parity(), "run");

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "artifacts");

        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(output, "artifacts-two-runs");
    }

    [Fact]
    public async Task Artifacts_OfOneStep_JsonNamesInputsWithTheirHashes()
    {
        await _cli.RunAsync(() => Parity(), "run");

        List<JsonElement> labels = await ListAsync("label");
        List<JsonElement> parity = await ListAsync("parity");

        JsonElement label = Assert.Single(labels);
        JsonElement input = Assert.Single(label.GetProperty("inputs").EnumerateArray());
        Assert.Equal("parity", input.GetProperty("step").GetString());
        Assert.Equal(Assert.Single(parity).GetProperty("artifact").GetString(), input.GetProperty("artifact").GetString());
        Assert.Equal(1, parity[0].GetProperty("parameters").GetProperty("Diamond").GetProperty("Start").GetInt32());
    }

    [Fact]
    public async Task Artifacts_UnknownStep_ExitsTwoWithDidYouMean()
    {
        await _cli.RunAsync(() => Parity(), "run");

        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "artifacts", "lable");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Did you mean 'label'?", error);
    }

    [Fact]
    public async Task Show_ByPrefix_PrintsTheBytes_AndInfoPrintsTheLineageTree()
    {
        await _cli.RunAsync(() => Parity(), "run");
        string report = (await ListAsync("report"))[0].GetProperty("artifact").GetString()!;
        string prefix = report["xxh128:".Length..][..10];

        var (exit, bytes, _) = await _cli.RunAsync(() => Parity(), "artifacts", "show", prefix);
        var (infoExit, info, _) = await _cli.RunAsync(() => Parity(), "artifacts", "show", prefix, "--info");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("parity: odd", bytes);
        Assert.Equal(ExitCodes.Success, infoExit);
        Assert.StartsWith($"artifact {report}, produced by 1 checkpoint:\n\nreport  {report}", info);
        Assert.Contains("\n  └─ label  xxh128:", info);
        Assert.Contains("\n       └─ parity  xxh128:", info);
        Assert.Contains("\n            parameters Diamond {\"Start\":1}\n", info);
    }

    [Fact]
    public async Task Show_Output_WritesAFileByteIdenticalToTheObject()
    {
        await _cli.RunAsync(() => Parity(), "run");
        string report = (await ListAsync("report"))[0].GetProperty("artifact").GetString()!;
        string hex = report["xxh128:".Length..];

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "artifacts", "show", report, "--output", "out/report.json");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("wrote " + report, output);
        Assert.Equal(
            await File.ReadAllBytesAsync(_project.PathTo($".sluice/objects/{hex[..2]}/{hex[2..]}")),
            await File.ReadAllBytesAsync(_project.PathTo("out/report.json")));
        Assert.Single(Directory.GetFiles(_project.PathTo("out")));
    }

    [Theory]
    [InlineData("0123456789abcdef", "No artifact matches '0123456789abcdef'")]
    [InlineData("abc", "is not an artifact hash")]
    [InlineData("xxh128:zz", "is not an artifact hash")]
    public async Task Show_UnknownOrMalformedHash_ExitsTwo(string hash, string message)
    {
        await _cli.RunAsync(() => Parity(), "run");

        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "artifacts", "show", hash);

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Show_AmbiguousPrefix_ExitsTwoNamingTheCandidates()
    {
        await _cli.RunAsync(() => Parity(), "run");

        // Two objects whose names share 8 digits: the store lists them by file name, so fakes serve.
        string a = new string('a', 31) + "1";
        string b = new string('a', 31) + "2";
        foreach (string hex in new[] { a, b })
        {
            Directory.CreateDirectory(_project.PathTo($".sluice/objects/{hex[..2]}"));
            await File.WriteAllTextAsync(_project.PathTo($".sluice/objects/{hex[..2]}/{hex[2..]}"), "x");
        }

        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "artifacts", "show", "aaaaaaaa");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("'aaaaaaaa' is ambiguous: it matches 2 artifacts", error);
    }

    [Fact]
    public async Task Trace_PublishedFile_NamesTheCheckpointAndItsLineage()
    {
        await _cli.RunAsync(() => Parity(), "run");

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "artifacts", "trace", "reports/parity.txt");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("reports/parity.txt holds xxh128:", output);
        Assert.Contains("produced by step report in run ", output);
        Assert.Contains("└─ parity  xxh128:", output);
        Assert.DoesNotContain("modified", output);
    }

    [Fact]
    public async Task Trace_ModifiedFile_SaysSoAndShowsThePublishedVersion()
    {
        await _cli.RunAsync(() => Parity(), "run");
        string report = (await ListAsync("report"))[0].GetProperty("artifact").GetString()!;
        await File.WriteAllTextAsync(_project.PathTo("reports/parity.txt"), "edited by hand");

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "artifacts", "trace", "reports/parity.txt");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("reports/parity.txt was modified since it was published", output);
        Assert.Contains($"step report last published {report}", output);
        Assert.Contains("└─ label  xxh128:", output);
    }
}
