using Sluice.Definitions;
using Sluice.Planning;

namespace Sluice.Commands;

public class CommandDefinitionTests
{
    [Fact]
    public void Resolve_Placeholders_BecomePathsWhereverTheyStand_AndAnythingElseInBracesStaysAsWritten()
    {
        var spec = new Definitions.CommandSpec(
            "tool",
            ["{in:0}", "--out={out:1}.tmp", "{in:1}{out:0}", "{{in:0}}", "{in:}", "{in:0", "{out:x}", "{inn:0}", "{}", "plain", "{out:01}"],
            null,
            [new CommandVariable("WHERE", "at {out:0} and {in:1}")],
            ["data/a.csv", "data/b.csv"],
            ["out/x.txt", "out/y.txt"],
            []);
        string project = Path.Combine(Path.GetTempPath(), "project");
        string staging = Path.Combine(project, ".sluice", "staging", "run", "step.1");

        Execution.CommandLaunch launch = Execution.CommandStep.Resolve(spec, project, staging);

        string a = Path.Combine(project, "data/a.csv"), b = Path.Combine(project, "data/b.csv");
        string x = Path.Combine(staging, "out/x.txt"), y = Path.Combine(staging, "out/y.txt");
        Assert.Equal([a, $"--out={y}.tmp", b + x, "{" + a + "}", "{in:}", "{in:0", "{out:x}", "{inn:0}", "{}", "plain", y], launch.Arguments);
        Assert.Equal($"at {x} and {b}", launch.Environment["WHERE"]);
        Assert.Equal(staging, launch.Environment[Execution.CommandStep.OutputDirectoryVariable]);
    }

    [Fact]
    public void Build_RepeatsWithinOneStep_AreEachReported_AndASingleEntryNeverIs()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("cmds", p =>
        {
            p.Command("twice", c => c.Run("tool", "{out:0}").Env("MODE", "a").Env("MODE", "b").Outputs("data/t.txt", "data/t.txt"));
            p.Command("loop", c => c.Run("tool", "{in:0}", "{out:0}").Inputs("data/l.txt").Outputs("data/l.txt"));
            p.Command("fine", c => c.Run("tool", "{out:0}").Env("ONE", "1").Inputs("data/in.txt").Outputs("data/out.txt"));
        }));

        Assert.Contains("Step 'twice' sets environment variable 'MODE' 2 times: set it once.", e.Problems);
        Assert.Contains("Step 'twice' declares output 'data/t.txt' 2 times: declare each output once.", e.Problems);
        Assert.Contains("Step 'loop' declares 'data/l.txt' as both input and output: a step cannot read what it publishes; write a new file instead.", e.Problems);
        Assert.DoesNotContain(e.Problems, m => m.Contains("'fine'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_BadCommands_ReportsEveryProblemAtOnceNamingThePaths()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("cmds", p =>
        {
            p.Command("escape", c => c.Run("sh", "-c", "true").Outputs("../outside.txt", "/etc/passwd"));
            p.Command("empty", c => c.Run("  ").Outputs("data/e.txt"));
            p.Command("first", c => c.Run("touch", "{out:0}").Outputs("data/shared.txt"));
            p.Command("second", c => c.Run("touch", "{out:1}").Outputs("data/shared.txt"));
            p.Command("codes", c => c.Run("true").TransientExitCodes(0, 75).WorkingDirectory("../elsewhere"));
        }));

        Assert.Contains("Step 'escape' declares output '../outside.txt', which is not inside the project: use a relative path such as 'data/escape.csv'.", e.Problems);
        Assert.Contains("Step 'escape' declares output '/etc/passwd', which is not inside the project: use a relative path such as 'data/escape.csv'.", e.Problems);
        Assert.Contains(e.Problems, m => m.StartsWith("Step 'empty' runs an empty program", StringComparison.Ordinal));
        Assert.Contains("Output 'data/shared.txt' is declared by steps 'first' and 'second': each file has one producer; give one of them another path.", e.Problems);
        Assert.Contains("Step 'second' uses {out:1}, but declares 0 inputs and 1 outputs: placeholders count from 0.", e.Problems);
        Assert.Contains(e.Problems, m => m.StartsWith("Step 'codes' declares transient exit code 0", StringComparison.Ordinal));
        Assert.Contains(e.Problems, m => m.StartsWith("Step 'codes' has working directory '../elsewhere', which is not inside the project", StringComparison.Ordinal));
        Assert.Equal(7, e.Problems.Count);
    }

    [Fact]
    public void Build_InputFileAnotherStepProduces_BecomesAnEdgeToIt()
    {
        Pipeline pipeline = Pipeline.Define("cmds", p =>
        {
            p.Command("consume", c => c.Run("cp", "{in:0}", "{out:0}").Inputs("data/mid.csv", "data/raw.csv").Outputs("data/out.csv"));
            p.Command("produce", c => c.Run("touch", "{out:0}").Outputs("data/mid.csv"));
        });

        StepDefinition consume = pipeline["consume"];
        Assert.Equal(["produce"], consume.Dependencies);
        Assert.Equal([ArtifactSource.Step, ArtifactSource.File], consume.Inputs.Select(i => i.Source).Order());
        Assert.Equal(["produce", "consume"], new PipelineGraph(pipeline).Order.Select(s => s.Name));
    }

    [Fact]
    public void Fingerprint_CoversProgramArgumentsEnvironmentAndVersion_ButNotSecretValues()
    {
        static Fingerprint Of(string arg = "2024-01-02", string mode = "x", string secret = "s1", string version = "1") =>
            Fingerprint.Compute("cmds", Pipeline.Define("cmds", p => p.Step("fetch").Version(version).Runs(c => c
                .Run("python3", "fetch.py", "--day", arg).Env("MODE", mode).SecretEnv("API_KEY", secret).Outputs("data/out.csv")))["fetch"],
                new Dictionary<string, object>(), new Dictionary<string, string>());

        Fingerprint baseline = Of();
        Assert.Equal(baseline.Value, Of().Value);
        Assert.Equal(baseline.Value, Of(secret: "s2").Value);
        Assert.DoesNotContain("s1", baseline.Key, StringComparison.Ordinal);
        Assert.Equal(["parameter (command).Arguments[2] 2024-01-02 -> 2024-01-03"], Fingerprint.Explain(baseline, Of(arg: "2024-01-03")));
        Assert.Equal(["parameter (command).Environment.MODE x -> y"], Fingerprint.Explain(baseline, Of(mode: "y")));
        Assert.Equal(["version 1 -> 2"], Fingerprint.Explain(baseline, Of(version: "2")));
    }

    [Fact]
    public void Fingerprint_OfAOneOutputStep_SaysItsArtifactIsTheFile_SoAManifestCheckpointIsNeverTakenForIt()
    {
        static Fingerprint Of(params string[] outputs) =>
            Fingerprint.Compute("cmds", Pipeline.Define("cmds", p => p.Step("make").Runs(c => c.Run("make-it").Outputs(outputs)))["make"],
                new Dictionary<string, object>(), new Dictionary<string, string>());

        Fingerprint one = Of("data/a.txt");
        Fingerprint two = Of("data/a.txt", "data/b.txt");

        // Only the one-output step carries the marker: the manifest format's keys (several outputs) are unchanged.
        Assert.Contains("\"Stored\":\"output file\"", one.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("Stored", two.Key, StringComparison.Ordinal);

        // A checkpoint recorded before (the same key without the marker) is another fingerprint, and says why.
        Fingerprint before = Fingerprint.FromKey(one.Key.Replace(",\"Stored\":\"output file\"", "", StringComparison.Ordinal));
        Assert.NotEqual(before.Value, one.Value);
        Assert.Equal(["parameter (command).Stored (unset) -> output file"], Fingerprint.Explain(before, one));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FingerprintJson_WrittenByHand_IsByteForByteWhatTheGeneralCanonicalWriterGives(int outputs)
    {
        // Quotes, backslashes, HTML-sensitive and non-ASCII characters, control characters: escaped as the serializer escapes them.
        CommandSpec spec = Pipeline.Define("cmds", p => p.Step("make").Runs(c =>
        {
            c.Run("python3", "-c", "print(\"a\\b\") # <&'>", "caf\u00e9 \U0001F600", "tab\tnew\nline\u0001", "")
                .Env("ZED", "last").Env("ALPHA", "first \"quoted\"").Env("\u00c9T\u00c9", "accent").SecretEnv("TOKEN", "hunter2")
                .TransientExitCodes(75, 111);
            if (outputs > 0)
            {
                c.WorkingDirectory("src/job").Outputs([.. Enumerable.Range(0, outputs).Select(i => $"data/out{i}.csv")]);
            }
        }))["make"].Command!;

        string json = Sluice.Planning.CommandFingerprint.Json(spec);

        Assert.Equal(Sluice.Planning.CommandFingerprint.ReflectedJson(spec), json);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.Equal(outputs == 1, json.Contains("\"Stored\":\"output file\"", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretEnvFromSetting_KeepsOnlyTheKey_FingerprintsLikeASecretEnv_AndRefusesABadKey()
    {
        static Pipeline Define(Action<CommandBuilder> env) =>
            Pipeline.Define("cmds", p => p.Step("fetch").Runs(c => env(c.Run("python3", "fetch.py").Outputs("data/out.csv"))));

        CommandSpec command = Define(c => c.SecretEnvFromSetting("API_KEY", "Fetch:ApiKey"))["fetch"].Command!;
        Assert.Equal([new CommandVariable("API_KEY", "", IsSecret: true, Setting: "Fetch:ApiKey")], command.Environment);

        static Fingerprint Of(Pipeline pipeline) => Fingerprint.Compute("cmds", pipeline["fetch"], new Dictionary<string, object>(), new Dictionary<string, string>());
        Assert.Equal(Of(Define(c => c.SecretEnv("API_KEY", "any-value"))).Value, Of(Define(c => c.SecretEnvFromSetting("API_KEY", "Fetch:ApiKey"))).Value);

        var e = Assert.Throws<PipelineDefinitionException>(() => Define(c => c.SecretEnvFromSetting("API_KEY", "Fetch::ApiKey")));
        Assert.Equal(
            ["Step 'fetch' reads environment variable 'API_KEY' from the setting 'Fetch::ApiKey', which is not a configuration key: give one such as 'Fetch:ApiKey' (sections joined with ':')."],
            e.Problems);
    }
}
