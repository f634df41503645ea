using System.Diagnostics;
using System.Text.Json;

namespace Sluice.Cli.Tests.EndToEnd;

/// <summary>The sample app published with Native AOT: every command works, and its checkpoints and a JIT build's are interchangeable.</summary>
/// <remarks>
/// The binary is published once per test run (a few minutes: <c>dotnet publish examples/Hello -c Release -r linux-x64 -p:PublishAot=true</c>),
/// or taken from <c>SLUICE_AOT_HELLO</c> when that names one already built. CI runs these tests; a developer can set
/// <c>SLUICE_SKIP_AOT_TESTS=1</c> to report them as skipped.
/// </remarks>
[Collection("processes")]
public sealed class NativeAotTests : IDisposable
{
    private static readonly Lazy<Task<string>> Binary = new(PublishAsync);

    private readonly TempProject _jit = new();
    private readonly TempProject _aot = new();

    public void Dispose()
    {
        _jit.Dispose();
        _aot.Dispose();
    }

    [AotFact]
    public async Task Plan_AfterJitRun_ReusesEveryStep_AndRunReusesThemToo()
    {
        string aot = await Binary.Value;
        Assert.Equal(0, (await JitAsync(_jit.Root, "run")).Exit);

        var jitPlan = await JitAsync(_jit.Root, "plan", "--json");
        var aotPlan = await RunAsync(aot, _jit.Root, "plan", "--json");

        Assert.True(aotPlan.Exit == 0, aotPlan.Error);
        Assert.Equal(jitPlan.Out, aotPlan.Out);
        Assert.All(Decisions(aotPlan.Out), d => Assert.Equal("reuse", d.Decision));

        var rerun = await RunAsync(aot, _jit.Root, "run");
        Assert.True(rerun.Exit == 0, rerun.Out + rerun.Error);
        JsonElement last = JsonDocument.Parse((await RunAsync(aot, _jit.Root, "show", "last", "--json")).Out).RootElement;
        Assert.Equal("succeeded", last.GetProperty("status").GetString());
        Assert.All(last.GetProperty("steps").EnumerateArray(), s => Assert.Equal("reused", s.GetProperty("status").GetString()));
    }

    [AotFact]
    public async Task Run_Aot_WritesTheSameArtifactsAsJit_AndJitReusesThem()
    {
        string aot = await Binary.Value;
        var jitRun = await JitAsync(_jit.Root, "run");
        var aotRun = await RunAsync(aot, _aot.Root, "run");
        Assert.True(jitRun.Exit == 0, jitRun.Out + jitRun.Error);
        Assert.True(aotRun.Exit == 0, aotRun.Out + aotRun.Error);

        // Same bytes in, same hashes out: every stored artifact and published file is identical.
        Assert.Equal(ArtifactHashes((await JitAsync(_jit.Root, "artifacts", "--json")).Out), ArtifactHashes((await RunAsync(aot, _aot.Root, "artifacts", "--json")).Out));
        Assert.Equal(await File.ReadAllBytesAsync(_jit.PathTo("reports/hello.txt")), await File.ReadAllBytesAsync(_aot.PathTo("reports/hello.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(_jit.PathTo("data/expanded.json")), await File.ReadAllBytesAsync(_aot.PathTo("data/expanded.json")));

        var jitPlan = await JitAsync(_aot.Root, "plan", "--json");
        Assert.True(jitPlan.Exit == 0, jitPlan.Error);
        Assert.All(Decisions(jitPlan.Out), d => Assert.Equal("reuse", d.Decision));
    }

    [AotFact]
    public async Task ReadCommands_FromTheAotBinary_AnswerAsJitDoes()
    {
        string aot = await Binary.Value;
        Assert.Equal(0, (await RunAsync(aot, _aot.Root, "run")).Exit);
        string runId = JsonDocument.Parse((await RunAsync(aot, _aot.Root, "show", "last", "--json")).Out).RootElement.GetProperty("run").GetString()!;

        foreach (string[] args in new[]
        {
            new[] { "runs" },
            new[] { "runs", "--json" },
            new[] { "show", runId },
            new[] { "graph", "--format", "mermaid" },
            new[] { "graph", "--format", "dot" },
            new[] { "artifacts" },
            new[] { "artifacts", "--json" },
            new[] { "artifacts", "trace", "reports/hello.txt" },
            new[] { "config" },
            new[] { "logs", runId, "load" },
            new[] { "plan" },
        })
        {
            var jit = await JitAsync(_aot.Root, args);
            var native = await RunAsync(aot, _aot.Root, args);
            Assert.True(native.Exit == jit.Exit, $"{string.Join(' ', args)}: exit {native.Exit}, JIT {jit.Exit}\n{native.Error}");
            Assert.Equal(jit.Out, native.Out);
        }

        var help = await RunAsync(aot, _aot.Root, "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("plan", help.Out);
    }

    [AotFact]
    public async Task Run_BadParameter_FailsAtStartupNamingTheKey_AsJitDoes()
    {
        string aot = await Binary.Value;
        _aot.Write("config/appsettings.json", """{ "Hello": { "OutlierTreshold": 3, "StepDelay": "soon" } }""");

        var native = await RunAsync(aot, _aot.Root, "run");
        var jit = await JitAsync(_aot.Root, "run");

        Assert.Equal(ExitCodes.DefinitionError, native.Exit);
        Assert.Equal(jit.Error, native.Error);
        Assert.Contains("Hello:OutlierTreshold", native.Error);
        Assert.Contains("Hello:StepDelay", native.Error);
        Assert.False(Directory.Exists(_aot.PathTo(".sluice/objects")));
    }

    private static List<(string Step, string Decision)> Decisions(string planJson) =>
        [.. JsonDocument.Parse(planJson).RootElement.GetProperty("steps").EnumerateArray()
            .Select(s => (s.GetProperty("step").GetString()!, s.GetProperty("decision").GetString()!))];

    // Each stored version's step, content hash and fingerprint: equal lists mean equal bytes and equal keys.
    private static List<string> ArtifactHashes(string artifactsJson)
    {
        List<string> versions = [.. JsonDocument.Parse(artifactsJson).RootElement.EnumerateArray()
            .Select(v => $"{v.GetProperty("step").GetString()} {v.GetProperty("artifact").GetString()} {v.GetProperty("fingerprint").GetString()}")
            .Order(StringComparer.Ordinal)];
        Assert.Equal(5, versions.Count);
        return versions;
    }

    private static Task<(int Exit, string Out, string Error)> JitAsync(string root, params string[] args) =>
        RunAsync("dotnet", root, ["exec", Path.Combine(AppContext.BaseDirectory, "Hello.dll"), .. args]);

    private static Task<(int Exit, string Out, string Error)> RunAsync(string program, string root, params string[] args) =>
        RunAsync(program, root, TimeSpan.FromSeconds(120), args);

    private static async Task<(int Exit, string Out, string Error)> RunAsync(string program, string root, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Colours and widths must not depend on which binary runs.
        start.Environment["NO_COLOR"] = "1";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("SLUICE_AOT_HELLO") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"SLUICE_AOT_HELLO names '{given}', which does not exist: publish it (see docs/adr/0006-native-aot.md) or unset the variable.");
        }

        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Sluice.slnx")))
        {
            repo = Path.GetDirectoryName(repo) ?? throw new InvalidOperationException("The repository root (Sluice.slnx) was not found above the test binaries.");
        }

        string output = Path.Combine(Path.GetTempPath(), "sluice-aot-hello-" + Environment.ProcessId);
        var publish = await RunAsync("dotnet", repo, TimeSpan.FromMinutes(20), "publish", "examples/Hello", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-v", "q", "-nologo");
        Assert.True(publish.Exit == 0, "Native AOT publish of examples/Hello failed:\n" + publish.Out + publish.Error);
        return Path.Combine(output, "Hello");
    }
}

/// <summary>Marks a test that needs the Native AOT sample; skipped only when <c>SLUICE_SKIP_AOT_TESTS=1</c>.</summary>
public sealed class AotFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute, skipping the test only on request.</summary>
    public AotFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SLUICE_SKIP_AOT_TESTS") == "1")
        {
            Skip = "SLUICE_SKIP_AOT_TESTS=1: Native AOT tests skipped on request (CI runs them).";
        }
    }
}
