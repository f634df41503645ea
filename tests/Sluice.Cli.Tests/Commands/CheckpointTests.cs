using System.Text.Json;
using Sluice.Definitions;

namespace Sluice.Cli.Tests.Commands;

/// <summary>Re-runs reuse what did not change, with reasons; real SQLite checkpoints and a real artifact store on disk.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;
    private readonly Dictionary<string, int> _executions = [];
    private bool _failLabel;

    public CheckpointTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    /// <summary>parity -> label -> report (published); 'parity' keeps only Start's parity, so odd starts give equal bytes.</summary>
    private Pipeline Parity(string labelVersion = "1") => Pipeline.Define("parity", p =>
    {
        Artifact<DiamondSettings> settings = p.Parameters<DiamondSettings>("Diamond");
        Artifact<int> parity = p.Step("parity").Executes(settings, (ctx, s) => Count(ctx.Step, s.Start % 2));
        Artifact<string> label = p.Step("label").Version(labelVersion).Executes(parity, (ctx, x) =>
            _failLabel ? throw new InvalidOperationException("label broke") : Count(ctx.Step, x == 0 ? "even" : "odd"));
        p.Step("report").Publish("reports/parity.txt").Executes(label, (ctx, l) => Count(ctx.Step, $"parity: {l}"));
    });

    private T Count<T>(string step, T value)
    {
        lock (_executions)
        {
            _executions[step] = _executions.GetValueOrDefault(step) + 1;
        }

        return value;
    }

    private async Task<Dictionary<string, (string Status, string Reason)>> LastRunAsync()
    {
        var (_, json, _) = await _cli.RunAsync(() => Parity(), "show", "last", "--json");
        return JsonDocument.Parse(json).RootElement.GetProperty("steps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("step").GetString()!, s => (s.GetProperty("status").GetString()!, s.GetProperty("reason").GetString()!));
    }

    [Fact]
    public async Task Run_Twice_SecondReusesEverythingAndRunsNothing()
    {
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Parity(), "run")).Exit);
        _executions.Clear();

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "run");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(_executions);
        Assert.Contains("0 steps succeeded, 3 reused", output);
        Assert.All((await LastRunAsync()).Values, s => Assert.Equal("reused", s.Status));
        Assert.Equal("parity: odd", await File.ReadAllTextAsync(_project.PathTo("reports/parity.txt")));
    }

    [Fact]
    public async Task Plan_AfterAParameterChange_SaysWhichParameterAndWhatWillChange()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _cli.Variables["SLUICE_Diamond__Start"] = "2";

        var (exit, output, _) = await _cli.RunAsync(() => Parity(), "plan");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("parity  run       parameter Diamond.Start 1 -> 2", output);
        Assert.Contains("label   run       input 'parity' will change", output);
    }

    [Fact]
    public async Task Plan_NewStepDownstreamOfAChange_SaysNoCheckpoint_WhileOldStepsSayTheirInputWillChange()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _cli.Variables["SLUICE_Diamond__Start"] = "2";
        Pipeline withAudit = Pipeline.Define("parity", p =>
        {
            Artifact<DiamondSettings> settings = p.Parameters<DiamondSettings>("Diamond");
            Artifact<int> parity = p.Step("parity").Executes(settings, (ctx, s) => s.Start % 2);
            Artifact<string> label = p.Step("label").Executes(parity, (ctx, x) => x == 0 ? "even" : "odd");
            p.Step("report").Publish("reports/parity.txt").Executes(label, (ctx, l) => $"parity: {l}");
            p.Step("audit").Executes(label, (ctx, l) => l.Length);
        });

        var (exit, output, _) = await _cli.RunAsync(() => withAudit, "plan");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("label   run       input 'parity' will change", output);
        Assert.Contains("report  run       input 'label' will change", output);
        Assert.Contains("audit   run       no checkpoint", output);
    }

    [Fact]
    public async Task Run_UpstreamRerunsWithSameBytes_DownstreamIsReused()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _executions.Clear();
        _cli.Variables["SLUICE_Diamond__Start"] = "3";

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Parity(), "run")).Exit);

        // 3 % 2 == 1 % 2: parity re-ran, its output bytes did not change, so label and report were cut off.
        Assert.Equal(new Dictionary<string, int> { ["parity"] = 1 }, _executions);
        Dictionary<string, (string Status, string Reason)> steps = await LastRunAsync();
        Assert.Equal("succeeded", steps["parity"].Status);
        Assert.Equal("reused", steps["label"].Status);
        Assert.Equal("reused", steps["report"].Status);
    }

    [Fact]
    public async Task Run_VersionBumped_RerunsThatStepAndDownstreamOnly()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _executions.Clear();

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Parity(labelVersion: "2"), "run")).Exit);

        Assert.Equal(new Dictionary<string, int> { ["label"] = 1 }, _executions);
        Dictionary<string, (string Status, string Reason)> steps = await LastRunAsync();
        Assert.Equal(("succeeded", "version 1 -> 2"), steps["label"]);
        Assert.Equal("reused", steps["parity"].Status);

        // label's bytes are unchanged, so report is reused too.
        Assert.Equal("reused", steps["report"].Status);
    }

    [Fact]
    public async Task Run_StoredObjectDeleted_RerunsWithThatReason()
    {
        await _cli.RunAsync(() => Parity(), "run");
        foreach (string file in Directory.GetFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        _executions.Clear();
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Parity(), "run")).Exit);

        Assert.Equal(("succeeded", "artifact missing on disk"), (await LastRunAsync())["parity"]);
        Assert.Equal(1, _executions["parity"]);
    }

    /// <summary>A chain s0 -> s1 -> ... whose step i outputs i: every object differs from every other.</summary>
    private static Pipeline Chain(int steps) => Pipeline.Define("chain", p =>
    {
        Artifact<int> previous = p.Step("s0").Executes(ctx => 0);
        for (int i = 1; i < steps; i++)
        {
            previous = p.Step($"s{i}").Executes(previous, (ctx, x) => x + 1);
        }
    });

    [Theory]
    [InlineData(700)] // in a batch of size checks made on another thread while the steps are decided
    [InlineData(1400)] // in the last, partial batch, checked after the loop
    public async Task Plan_OneObjectTruncatedInALongChain_ThatStepRunsWithTheReason_DownstreamWillChange_UpstreamReused(int damaged)
    {
        await _cli.RunAsync(() => Chain(1500), "run", "-q");
        string text = damaged.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string path = Directory.GetFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories).Single(f => File.ReadAllText(f) == text);
        await File.WriteAllTextAsync(path, "1");

        var (exit, output, _) = await _cli.RunAsync(() => Chain(1500), "plan");

        Assert.Equal(ExitCodes.Success, exit);
        string[] lines = [.. output.Split('\n').Select(l => l.Trim())];
        Assert.Matches(@"^s" + (damaged - 1) + @"\s+reuse\s+checkpoint [0-9a-f]{8} \(run ", lines.Single(l => l.StartsWith($"s{damaged - 1} ", StringComparison.Ordinal)));
        Assert.Matches(@"^s" + damaged + @"\s+run\s+artifact damaged on disk \(size 1 != " + text.Length + @"\)$", lines.Single(l => l.StartsWith($"s{damaged} ", StringComparison.Ordinal)));
        Assert.Matches(@"^s" + (damaged + 1) + @"\s+run\s+input 's" + damaged + @"' will change$", lines.Single(l => l.StartsWith($"s{damaged + 1} ", StringComparison.Ordinal)));
        Assert.Matches(@"^s1499\s+run\s+input 's1498' will change$", lines.Single(l => l.StartsWith("s1499 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ObjectModifiedKeepingItsSize_OnlyVerifyNoticesIt()
    {
        await _cli.RunAsync(() => Parity(), "run");
        string label = Directory.GetFiles(_project.PathTo(".sluice/objects"), "*", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f) == "odd");
        await File.WriteAllTextAsync(label, "ODD");
        _executions.Clear();

        await _cli.RunAsync(() => Parity(), "run");
        Assert.Empty(_executions);

        await _cli.RunAsync(() => Parity(), "run", "--verify");
        Assert.Equal(("succeeded", "artifact damaged on disk (content hash differs)"), (await LastRunAsync())["label"]);
        Assert.Equal(1, _executions["label"]);
        Assert.Equal("odd", await File.ReadAllTextAsync(label));
    }

    [Fact]
    public async Task Run_TemporaryFilesLeftByADeadRun_AreRemoved()
    {
        await _cli.RunAsync(() => Parity(), "run");
        // Where the store makes its temp files (docs/file-formats.md): in objects/ itself, and beside a published file.
        string leftover = _project.PathTo(".sluice/objects/object-0123456789abcdef.sluice-tmp");
        string besidePublished = _project.PathTo("reports/parity.txt.1234.sluice-tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        await File.WriteAllTextAsync(leftover, "half");
        await File.WriteAllTextAsync(besidePublished, "half");

        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "run");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(besidePublished));
        Assert.Contains("removed 2 temporary file(s)", error);
    }

    [Fact]
    public async Task Run_PublishedFileDeleted_IsRepublishedWithoutRunning()
    {
        await _cli.RunAsync(() => Parity(), "run");
        File.Delete(_project.PathTo("reports/parity.txt"));
        _executions.Clear();

        // Planning says what it will do and does not do it.
        Assert.Contains("reports/parity.txt missing, to republish", (await _cli.RunAsync(() => Parity(), "plan")).Out);
        Assert.False(File.Exists(_project.PathTo("reports/parity.txt")));

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(() => Parity(), "run")).Exit);

        Assert.Empty(_executions);
        Assert.Equal("parity: odd", await File.ReadAllTextAsync(_project.PathTo("reports/parity.txt")));
        Assert.Contains("reports/parity.txt missing, republished", (await LastRunAsync())["report"].Reason);
    }

    [Fact]
    public async Task Run_Force_RunsTheNamedStepOrEverything()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _executions.Clear();

        await _cli.RunAsync(() => Parity(), "run", "--force", "label");
        Assert.Equal(new Dictionary<string, int> { ["label"] = 1 }, _executions);
        Assert.Equal(("succeeded", "forced"), (await LastRunAsync())["label"]);

        _executions.Clear();
        await _cli.RunAsync(() => Parity(), "run", "--force-all");
        Assert.Equal(3, _executions.Count);
    }

    [Fact]
    public async Task Run_Only_TakesInputsOfStepsLeftOutFromTheirCheckpoints()
    {
        await _cli.RunAsync(() => Parity(), "run");
        _executions.Clear();

        var (exit, output, error) = await _cli.RunAsync(() => Parity(labelVersion: "2"), "run", "--only", "label");

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Equal(new Dictionary<string, int> { ["label"] = 1 }, _executions);
        Dictionary<string, (string Status, string Reason)> steps = await LastRunAsync();
        Assert.Equal("reused", steps["parity"].Status);
        Assert.StartsWith("not selected; checkpoint ", steps["parity"].Reason, StringComparison.Ordinal);
        Assert.Equal(("succeeded", "version 1 -> 2"), steps["label"]);
        Assert.Equal("skipped", steps["report"].Status);
    }

    [Fact]
    public async Task Run_Only_InputOfAStepLeftOutWithoutCheckpoint_IsRefusedNamingIt()
    {
        await _cli.RunAsync(() => Parity(), "run", "--only", "parity");

        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "run", "--only", "report");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Step 'label' is not selected, but a selected step takes its output and it has no usable checkpoint (no checkpoint): select it too, for example with --from label.", error);
    }

    [Fact]
    public async Task Resume_RunsOnlyWhatFailed_FedTheExactOutputsOfThatRun()
    {
        _failLabel = true;
        Assert.Equal(ExitCodes.RunFailed, (await _cli.RunAsync(() => Parity(), "run")).Exit);
        var (_, firstJson, _) = await _cli.RunAsync(() => Parity(), "show", "last", "--json");
        string first = JsonDocument.Parse(firstJson).RootElement.GetProperty("run").GetString()!;

        // A later run makes a newer version of parity's output ("even"); resuming the first run must not use it.
        _cli.Variables["SLUICE_Diamond__Start"] = "2";
        Assert.Equal(ExitCodes.RunFailed, (await _cli.RunAsync(() => Parity(), "run")).Exit);
        _failLabel = false;
        _executions.Clear();

        var (exit, output, error) = await _cli.RunAsync(() => Parity(), "run", "--resume", first);

        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Equal(new Dictionary<string, int> { ["label"] = 1, ["report"] = 1 }, _executions);
        Assert.Equal("parity: odd", await File.ReadAllTextAsync(_project.PathTo("reports/parity.txt")));
        Dictionary<string, (string Status, string Reason)> steps = await LastRunAsync();
        Assert.Equal(("reused", $"resumed: output of run {first}"), steps["parity"]);
        Assert.Equal(("succeeded", $"failed in run {first}; no checkpoint"), steps["label"]);
        var (_, resumedJson, _) = await _cli.RunAsync(() => Parity(), "show", "last", "--json");
        Assert.Equal(first, JsonDocument.Parse(resumedJson).RootElement.GetProperty("resumed_from").GetString());

        var (again, said, _) = await _cli.RunAsync(() => Parity(), "run", "--resume", "last");
        Assert.Equal(ExitCodes.Success, again);
        Assert.Contains("succeeded: nothing to resume", said);
    }

    private Pipeline Reader() => Pipeline.Define("reader", p =>
    {
        Artifact<ProjectFile> input = p.File("data/in.txt");
        Artifact<string> text = p.Step("read").Executes(input, (ctx, f) => Count(ctx.Step, File.ReadAllText(ctx.PathTo(f.RelativePath))));
        p.Step("shout").Executes(text, (ctx, t) => Count(ctx.Step, t.ToUpperInvariant()));
    });

    [Fact]
    public async Task Run_DeclaredFileChangesByOneByte_RerunsItsReadersWithTheReason()
    {
        _project.Write("data/in.txt", "abc");
        await _cli.RunAsync(Reader, "run");
        _executions.Clear();

        await _cli.RunAsync(Reader, "run");
        Assert.Empty(_executions);

        _project.Write("data/in.txt", "abd");
        var (_, plan, _) = await _cli.RunAsync(Reader, "plan");
        Assert.Matches(@"read +run +input 'file:data/in.txt' changed \([0-9a-f]{8} -> [0-9a-f]{8}\)", plan);

        await _cli.RunAsync(Reader, "run");
        Assert.Equal(new Dictionary<string, int> { ["read"] = 1, ["shout"] = 1 }, _executions);

        var (_, json, _) = await _cli.RunAsync(Reader, "show", "last", "--json");
        Assert.Contains("\"status\": \"succeeded\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ForceUnknownStep_IsADefinitionError()
    {
        var (exit, _, error) = await _cli.RunAsync(() => Parity(), "run", "--force", "lable");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("--force names step 'lable', which does not exist. Did you mean 'label'?", error);
        Assert.False(Directory.Exists(_project.PathTo(".sluice")));
    }
    private Pipeline Joiner() => Pipeline.Define("joiner", p =>
    {
        Artifact<SourceListSettings> settings = p.Parameters<SourceListSettings>("Sources");
        Artifact<ProjectFiles> files = p.Files("inputs", settings, s => s.Paths);
        p.Step("join").Publish("reports/joined.txt").Executes(files, (ctx, f) =>
            Count(ctx.Step, string.Concat(f.Files.Select(x => File.ReadAllText(ctx.PathTo(x.RelativePath))))));
    });

    [Fact]
    public async Task Run_FileChosenBySettingsChanges_RerunsWithTheFileNamedInTheReason()
    {
        _project.Write("data/a.txt", "one;");
        _project.Write("data/b.txt", "two;");
        _project.Write("config/appsettings.json", """{ "Sources": { "Paths": [ "data/a.txt", "data/b.txt" ] } }""");
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Joiner, "run")).Exit);
        Assert.Equal("one;two;", await File.ReadAllTextAsync(_project.PathTo("reports/joined.txt")));
        _executions.Clear();

        await _cli.RunAsync(Joiner, "run");
        Assert.Empty(_executions);

        _project.Write("data/b.txt", "TWO;");
        var (_, plan, _) = await _cli.RunAsync(Joiner, "plan");
        Assert.Matches(@"join +run +input 'files:inputs:data/b.txt' changed \([0-9a-f]{8} -> [0-9a-f]{8}\)", plan);

        await _cli.RunAsync(Joiner, "run");
        Assert.Equal(new Dictionary<string, int> { ["join"] = 1 }, _executions);
        Assert.Equal("one;TWO;", await File.ReadAllTextAsync(_project.PathTo("reports/joined.txt")));
    }

    [Fact]
    public async Task Run_SettingsChooseAnotherFile_Reruns()
    {
        _project.Write("data/a.txt", "one;");
        _project.Write("data/b.txt", "two;");
        _project.Write("config/appsettings.json", """{ "Sources": { "Paths": [ "data/a.txt" ] } }""");
        await _cli.RunAsync(Joiner, "run");
        _executions.Clear();

        _project.Write("config/appsettings.json", """{ "Sources": { "Paths": [ "data/a.txt", "data/b.txt" ] } }""");
        await _cli.RunAsync(Joiner, "run");

        Assert.Equal(new Dictionary<string, int> { ["join"] = 1 }, _executions);
    }

    [Fact]
    public async Task Run_RegisteredSerializer_WritesAndReadsTheArtifactInItsFormat()
    {
        Pipeline Points() => Pipeline.Define("points", p =>
        {
            p.Serializer(new PointSerializer());
            Artifact<Point> point = p.Step("point").Publish("data/point.txt").Executes(_ => new Point(3, 4));
            p.Step("sum").Publish("reports/sum.txt").Executes(point, (ctx, q) => Count(ctx.Step, $"{q.X + q.Y}"));
        });

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Points, "run")).Exit);
        Assert.Equal("3;4", await File.ReadAllTextAsync(_project.PathTo("data/point.txt")));

        // 'sum' alone, with 'point' reused: its input is read back from the stored object through the same serializer.
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync(Points, "run", "--only", "sum", "--force", "sum")).Exit);
        Assert.Equal("7", await File.ReadAllTextAsync(_project.PathTo("reports/sum.txt")));
        Assert.Equal(2, _executions["sum"]);
    }

    [Fact]
    public async Task Run_FileSetPathOutsideProject_IsAConfigurationErrorAndWritesNothing()
    {
        _project.Write("config/appsettings.json", """{ "Sources": { "Paths": [ "../secret.txt", "/etc/passwd" ] } }""");

        var (exit, _, error) = await _cli.RunAsync(Joiner, "run");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("File set 'inputs' (from 'Sources') names '../secret.txt', which is not inside the project", error);
        Assert.Contains("names '/etc/passwd'", error);
        Assert.Empty(_executions);
        Assert.False(File.Exists(_project.PathTo("reports/joined.txt")));
    }
}

/// <summary>A value with its own registered serializer in the serializer test.</summary>
public sealed record Point(int X, int Y);

/// <summary>Writes a <see cref="Point"/> as <c>x;y</c> text, to see that a registered serializer replaces JSON.</summary>
internal sealed class PointSerializer : Sluice.Artifacts.IArtifactSerializer<Point>
{
    public async Task SerializeAsync(Point value, Stream destination, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(destination, leaveOpen: true);
        await writer.WriteAsync($"{value.X};{value.Y}");
    }

    public async ValueTask<Point> DeserializeAsync(Stream source, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(source, leaveOpen: true);
        string[] parts = (await reader.ReadToEndAsync(cancellationToken)).Split(';');
        return new Point(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A list of project files for the file-set tests.</summary>
public sealed class SourceListSettings
{
    /// <summary>Gets or sets the paths to read.</summary>
    public List<string> Paths { get; set; } = [];
}
