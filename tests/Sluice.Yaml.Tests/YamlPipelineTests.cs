using System.Diagnostics;
using Sluice.Definitions;

namespace Sluice.Yaml.Tests;

public sealed class YamlPipelineTests
{
    private static IReadOnlyList<string> Problems(string yaml)
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => YamlPipeline.Parse(yaml.ReplaceLineEndings("\n"), "sluice.yaml"));
        return e.Problems;
    }

    [Fact]
    public void Parse_EveryKey_MapsOntoTheStepDefinition()
    {
        Pipeline pipeline = YamlPipeline.Parse("""
            pipeline: prices
            steps:
              fetch:
                run: [python3, fetch.py, --out, "{out:0}", "a; b"]
                workdir: scripts
                env: { MODE: full, N: 3 }
                inputs: [config/tickers.csv]
                outputs: [data/prices.csv]
                retry: { attempts: 3, delay: 2s, backoff: linear, max_delay: 1m, jitter: false }
                timeout: 1h30m
                transient_exit_codes: [75, 69]
                version: 2
              report:
                run: [sh, report.sh]
                inputs: [data/prices.csv]
                after: [fetch]
                timeout: "00:00:05"
            """);

        StepDefinition fetch = pipeline["fetch"];
        CommandSpec command = Assert.IsType<CommandSpec>(fetch.Command);
        Assert.Equal("python3", command.Program);
        Assert.Equal(["fetch.py", "--out", "{out:0}", "a; b"], command.Arguments);
        Assert.Equal("scripts", command.WorkingDirectory);
        Assert.Equal([new CommandVariable("MODE", "full"), new CommandVariable("N", "3")], command.Environment);
        Assert.Equal(["config/tickers.csv"], command.Inputs);
        Assert.Equal(["data/prices.csv"], command.Outputs);
        Assert.Equal([75, 69], command.TransientExitCodes);
        Assert.Equal("2", fetch.Version);
        Assert.Equal(3, fetch.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), fetch.Retry.Delay);
        Assert.Equal(TimeSpan.FromMinutes(1), fetch.Retry.MaxDelay);
        Assert.Equal(Backoff.Linear, fetch.Retry.Backoff);
        Assert.False(fetch.Retry.UseJitter);
        Assert.Equal(TimeSpan.FromMinutes(90), fetch.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), pipeline["report"].Timeout);
        Assert.Equal(["fetch"], pipeline["report"].After);
        // The declared input that fetch produces is an edge to fetch.
        Assert.Contains(pipeline["report"].Inputs, i => i.Name == "fetch");
    }

    [Fact]
    public void Parse_UnknownKey_NamesFileLineColumnKeyAndSuggestion()
    {
        IReadOnlyList<string> problems = Problems("""
            pipeline: p
            steps:
              fetch:
                run: [echo]
                retyr: { attempts: 3 }
            """);

        Assert.Equal(["sluice.yaml:5:5: steps.fetch.retyr: unknown key 'retyr'. Did you mean 'retry'?"], problems);
    }

    [Fact]
    public void Parse_ScheduleAndAlerts_BecomeSluiceSettingsThatRememberTheirLine()
    {
        Pipeline pipeline = YamlPipeline.Parse("""
            pipeline: p
            schedule: { cron: "30 22 * * 1-5", timezone: Europe/London, grace: 1h30m }
            alerts:
              on_success: true
              delivery: { max_attempts: 6, drain_timeout: 5s }
              sinks:
                team:
                  type: webhook
                  url: https://hooks.example.invalid/x
                  kinds: [run-failed, data-quality]
                  headers: { X-Team: quant }
            steps:
              a: { run: [echo] }
            """.ReplaceLineEndings("\n"));

        Assert.Equal(
            [
                ("Sluice:Alerts:Schedule:Cron", "30 22 * * 1-5", "sluice.yaml:2:19"),
                ("Sluice:Alerts:Schedule:TimeZone", "Europe/London", "sluice.yaml:2:46"),
                ("Sluice:Alerts:Schedule:Grace", "01:30:00", "sluice.yaml:2:68"),
                ("Sluice:Alerts:OnSuccess", "true", "sluice.yaml:4:15"),
                ("Sluice:Alerts:Delivery:MaxAttempts", "6", "sluice.yaml:5:29"),
                ("Sluice:Alerts:Delivery:DrainTimeout", "00:00:05", "sluice.yaml:5:47"),
                ("Sluice:Alerts:Sinks:team:Type", "webhook", "sluice.yaml:8:13"),
                ("Sluice:Alerts:Sinks:team:Url", "https://hooks.example.invalid/x", "sluice.yaml:9:12"),
                ("Sluice:Alerts:Sinks:team:Kinds:0", "run-failed", "sluice.yaml:10:15"),
                ("Sluice:Alerts:Sinks:team:Kinds:1", "data-quality", "sluice.yaml:10:27"),
                ("Sluice:Alerts:Sinks:team:Headers:X-Team", "quant", "sluice.yaml:11:26"),
            ],
            pipeline.Settings.Select(s => (s.Key, s.Value, s.Source)));
    }

    [Fact]
    public void Parse_ScheduleAndAlertsMistakes_AreReportedWithTheStepProblemsAtOnce()
    {
        IReadOnlyList<string> problems = Problems("""
            pipeline: p
            schedule: daily
            alerts:
              on_sucess: true
              delivery: { backoff: soon }
              sinks:
                team: { type: webhook, kinds: run-failed, hedaers: { A: b } }
            steps:
              a: { run: [echo], retyr: 2 }
            """);

        Assert.Equal(
            [
                "sluice.yaml:2:11: schedule: expected a map (cron, timezone, grace), found the text 'daily': for example { cron: \"30 22 * * 1-5\", timezone: UTC, grace: 30m }.",
                "sluice.yaml:4:3: alerts.on_sucess: unknown key 'on_sucess'. Did you mean 'on_success'?",
                "sluice.yaml:5:24: alerts.delivery.backoff: expected a duration: a number with a unit (500ms, 30s, 5m, 1h30m, 2d) or hh:mm:ss (00:05:00); found the text 'soon'.",
                "sluice.yaml:7:35: alerts.sinks.team.kinds: expected a list, found the text 'run-failed': write [a, b] or one '- item' per line.",
                "sluice.yaml:7:47: alerts.sinks.team.hedaers: unknown key 'hedaers'. Did you mean 'headers'?",
                "sluice.yaml:9:21: steps.a.retyr: unknown key 'retyr'. Did you mean 'retry'?",
            ],
            problems);
    }

    [Fact]
    public void Parse_EnvSecret_ReadsTheValueFromASettingAndKeepsOnlyTheKey()
    {
        Pipeline pipeline = YamlPipeline.Parse("""
            pipeline: p
            steps:
              fetch:
                run: [python3, fetch.py]
                env: { API_KEY: { secret: Fetch:ApiKey }, MODE: full }
            """.ReplaceLineEndings("\n"));

        CommandSpec command = pipeline["fetch"].Command!;
        Assert.Equal(
            [new CommandVariable("API_KEY", "", IsSecret: true, Setting: "Fetch:ApiKey"), new CommandVariable("MODE", "full")],
            command.Environment);
    }

    [Fact]
    public void Parse_EnvSecretMistakes_NameTheKey()
    {
        IReadOnlyList<string> problems = Problems("""
            pipeline: p
            steps:
              fetch:
                run: [python3, fetch.py]
                env:
                  A: { secert: Fetch:ApiKey }
                  B: { secret: [x] }
            """);

        Assert.Equal(
            [
                "sluice.yaml:6:10: steps.fetch.env.A.secret: missing required key 'secret'.",
                "sluice.yaml:6:12: steps.fetch.env.A.secert: unknown key 'secert'. Did you mean 'secret'?",
                "sluice.yaml:7:20: steps.fetch.env.B.secret: expected a text value, found a list.",
            ],
            problems);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneAtOnceInFileOrder()
    {
        IReadOnlyList<string> problems = Problems("""
            pipeline: p
            steps:
              fetch:
                run: python3 fetch.py
                timeout: 5
                after: [report]
              clean:
                outputs: data/x
              report:
                run: [sh, -c, "true"]
                after: [fetch]
                retry: { attempts: 0, backoff: sideways }
                transient_exit_codes: [abc]
                env: [A]
            """);

        Assert.Equal(
            [
                "sluice.yaml:3:3: steps.fetch: Dependency cycle: fetch -> report -> fetch",
                "sluice.yaml:4:10: steps.fetch.run: expected a list (program, then arguments), found the text 'python3 fetch.py': write it as a list, [python3, fetch.py], or for shell syntax [sh, -c, \"python3 fetch.py\"].",
                "sluice.yaml:5:14: steps.fetch.timeout: expected a duration, more than zero: a number with a unit (500ms, 30s, 5m, 1h30m, 2d) or hh:mm:ss (00:05:00); found the text '5'.",
                "sluice.yaml:7:3: steps.clean.run: missing required key 'run'.",
                "sluice.yaml:8:14: steps.clean.outputs: expected a list, found the text 'data/x': write [a, b] or one '- item' per line.",
                "sluice.yaml:12:24: steps.report.retry.attempts: expected a whole number of attempts, 1 or more (the first attempt included), found the text '0'.",
                "sluice.yaml:12:36: steps.report.retry.backoff: expected constant, linear or exponential, found 'sideways'.",
                "sluice.yaml:13:28: steps.report.transient_exit_codes: expected an exit code from 1 to 255, found the text 'abc'.",
                "sluice.yaml:14:10: steps.report.env: expected a map of variable names to values, found a list: for example { MODE: full }.",
            ],
            problems);
    }

    [Fact]
    public void Parse_RetryWithoutAttempts_NamesTheMissingKeyAtTheRetryMap()
    {
        IReadOnlyList<string> problems = Problems("pipeline: p\nsteps:\n  a:\n    run: [echo]\n    retry: { delay: 5s }\n");

        Assert.Equal(["sluice.yaml:5:12: steps.a.retry.attempts: missing required key 'attempts'."], problems);
    }

    [Fact]
    public void Parse_MissingTopKeys_NamesEach()
    {
        Assert.Equal(
            ["sluice.yaml:1:1: pipeline: missing required key 'pipeline'.", "sluice.yaml:1:1: steps: missing required key 'steps'."],
            Problems("name: p\n").Where(p => !p.Contains("unknown key", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_UnknownAfterAndBadStepName_LocatedAtTheStep()
    {
        IReadOnlyList<string> problems = Problems("pipeline: p\nsteps:\n  a: { run: [echo] }\n  Big Step: { run: [echo], after: [aa] }\n");

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("sluice.yaml:4:3: steps.Big Step: ", p));
        Assert.Contains(problems, p => p.Contains("Did you mean 'a'?", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'big-step'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Alias_IsRefusedWithoutExpandingIt()
    {
        // A billion-laughs document: nine levels of nine aliases; expanding it would build 9^9 nodes.
        var bomb = new System.Text.StringBuilder("pipeline: p\nsteps:\n  a: { run: [echo] }\nx0: &x0 [lol]\n");
        for (int i = 1; i < 10; i++)
        {
            bomb.Append($"x{i}: &x{i} [{string.Join(", ", Enumerable.Repeat($"*x{i - 1}", 9))}]\n");
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> problems = Problems(bomb.ToString());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("sluice.yaml:4:5: x0: anchor '&x0' is not allowed: sluice.yaml refuses anchors and aliases (they allow alias bombs); write the value out.", problems);
        Assert.Contains("sluice.yaml:5:10: x1: alias '*x0' is not allowed: sluice.yaml refuses anchors and aliases (they allow alias bombs); write the value out.", problems);
    }

    [Fact]
    public void Parse_Tag_IsRefused()
    {
        IReadOnlyList<string> problems = Problems("pipeline: p\nsteps:\n  a: !!python/object:os.system { run: [echo] }\n  b:\n    run: [!custom echo]\n");

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("sluice.yaml:3:6: steps.a: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed", problems[0]);
        Assert.StartsWith("sluice.yaml:5:11: steps.b.run: tag '!custom' is not allowed", problems[1]);
    }

    [Fact]
    public void Parse_DuplicateKey_IsRefused()
    {
        IReadOnlyList<string> problems = Problems("pipeline: p\nsteps:\n  a: { run: [echo] }\n  a: { run: [true] }\n");

        Assert.Equal(["sluice.yaml:4:3: steps.a: duplicate key: 'a' is already set at line 3; YAML would keep only the last one. Remove or merge one of them."], problems);
    }

    [Theory]
    [InlineData("pipeline: p\nsteps:\n  a: { run: [echo] \n", 4)]
    [InlineData("pipeline: p\nsteps:\n  a:\n    run: [echo]\n   outputs: [x]\n", 5)]
    [InlineData("pipeline: p\nsteps:\n  a: \"unterminated\n", 3)]
    public void Parse_SyntaxError_IsLocated(string yaml, int line)
    {
        string problem = Assert.Single(Problems(yaml));

        Assert.StartsWith($"sluice.yaml:{line}:", problem);
        Assert.Contains("YAML syntax error", problem);
    }

    [Fact]
    public void Parse_SecondDocument_IsRefused()
    {
        string problem = Assert.Single(Problems("pipeline: p\nsteps:\n  a: { run: [echo] }\n---\npipeline: q\n"));

        Assert.StartsWith("sluice.yaml:4:1: the file has a second YAML document", problem);
    }

    [Fact]
    public void Parse_HugeText_IsRefusedBeforeParsing()
    {
        string problem = Assert.Single(Problems("pipeline: p\n#" + new string('x', 2 * 1024 * 1024) + "\n"));

        Assert.StartsWith("sluice.yaml:1:1: the file has 2097166 characters, more than the limit of 1048576", problem);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToCreateOne()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sluice-yaml-{Guid.NewGuid():N}.yaml");

        var e = Assert.Throws<PipelineDefinitionException>(() => YamlPipeline.Load(path, "sluice.yaml"));

        Assert.Equal("sluice.yaml: no pipeline file here. Create one with 'sluice init', or point to it with --file or --project-dir.", e.Message);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("00:05:00", 300)]
    public void Duration_KnownForms_Parse(string text, double seconds)
    {
        Assert.True(YamlDuration.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5 m")]
    [InlineData("m")]
    [InlineData("-5s")]
    [InlineData("99999999999d")]
    public void Duration_OtherText_IsRejected(string text) => Assert.False(YamlDuration.TryParse(text, out _));
}
