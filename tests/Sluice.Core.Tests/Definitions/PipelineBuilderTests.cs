namespace Sluice.Definitions;

public class PipelineBuilderTests
{
    [Fact]
    public void Build_ManyProblems_ReportsEveryOneInOneException()
    {
        Artifact<int> foreign = null!;
        Pipeline.Define("other", p => foreign = p.Step("prices").Executes(_ => 1));

        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("a").After("c").Executes(_ => { });
            p.Step("b").After("a").Executes(_ => { });
            p.Step("c").After("b").Executes(_ => { });
            p.Step("model").Executes(_ => 1);
            p.Step("report").After("modle").Executes(_ => { });
            p.Step("model").Executes(_ => 2);
            p.Step("Clean Prices").Executes(_ => { });
            p.Step("lonely");
            p.Step("flaky").WithRetry(r => r.MaxAttempts = 0).Executes(_ => { });
            p.Step("slow").WithTimeout(TimeSpan.FromSeconds(-1)).Executes(_ => { });
            p.Step("thief").Executes(foreign, (_, v) => v);
        }));

        Assert.Equal("x", e.Pipeline);
        Assert.StartsWith("8 problems in pipeline 'x':\n  ", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            [
                "Step 'flaky' has MaxAttempts = 0: use 1 (no retries) or more.",
                "Step 'slow' has timeout -00:00:01: use a positive duration, or no timeout.",
                "Step 'thief' takes step 'prices' from another pipeline: pass artifacts of this pipeline only.",
                "Step name 'model' is declared twice: give each step its own name.",
                "Step name 'Clean Prices' is not valid: use lower-case letters, digits and '-', starting with a letter (for example 'clean-prices').",
                "Step 'lonely' has no work: finish its declaration with Executes(...) or Uses(...).",
                "Step 'report' runs after 'modle', which does not exist. Did you mean 'model'?",
                "Dependency cycle: a -> b -> c -> a",
            ],
            e.Problems);
        foreach (string problem in e.Problems)
        {
            Assert.Contains("\n  " + problem, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void File_OutsideTheProject_IsADefinitionProblem()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            Artifact<ProjectFile> escape = p.File("../secrets.txt");
            Artifact<ProjectFile> rooted = p.File("/etc/passwd");
            p.Step("read").Executes(escape, rooted, (_, a, b) => a.RelativePath + b.RelativePath);
        }));

        Assert.Equal(
            [
                "File input '../secrets.txt' is not inside the project: use a relative path such as 'data/prices.csv'.",
                "File input '/etc/passwd' is not inside the project: use a relative path such as 'data/prices.csv'.",
            ],
            e.Problems);
    }

    [Fact]
    public void File_IsAnInputButNotAStepDependency()
    {
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<ProjectFile> prices = p.File("data/prices.csv");
            p.Step("read").Executes(prices, (_, f) => f.RelativePath);
        });

        Assert.Equal(ArtifactSource.File, pipeline["read"].Inputs[0].Source);
        Assert.Equal("data/prices.csv", pipeline["read"].Inputs[0].Name);
        Assert.Empty(pipeline["read"].Dependencies);
    }

    [Fact]
    public void Build_CycleThroughAfter_NamesTheFullPath()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("a").After("c").Executes(_ => { });
            p.Step("b").After("a").Executes(_ => { });
            p.Step("c").After("b").Executes(_ => { });
            p.Step("d").After("a").Executes(_ => { });
        }));

        Assert.Equal("1 problem in pipeline 'x':\n  Dependency cycle: a -> b -> c -> a", e.Message);
    }

    [Fact]
    public void Build_CycleThroughArtifactAndAfter_IsFound()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            Artifact<int> raw = p.Step("ingest").After("clean").Executes(_ => 1);
            p.Step("clean").Executes(raw, (_, v) => v);
        }));

        Assert.Equal(["Dependency cycle: ingest -> clean -> ingest"], e.Problems);
    }

    [Fact]
    public void Build_StepAfterItself_IsReportedOnce()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
            p.Step("loop").After("loop").Executes(_ => { })));

        Assert.Equal(["Step 'loop' runs after itself: remove 'loop' from its After(...)."], e.Problems);
    }

    [Fact]
    public void Build_UnknownAfterNothingLike_SaysToCheckTheName()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("ingest").Executes(_ => 1);
            p.Step("report").After("zzzzzzzz").Executes(_ => { });
        }));

        Assert.Equal(["Step 'report' runs after 'zzzzzzzz', which does not exist. Check the name in After(...)."], e.Problems);
    }

    [Theory]
    [InlineData("Clean Prices", "clean-prices")]
    [InlineData("load_data", "load-data")]
    [InlineData("2nd-pass", "step-2nd-pass")]
    [InlineData("  Trailing--", "trailing")]
    public void Build_InvalidStepName_SuggestsAValidOne(string name, string suggestion)
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p => p.Step(name).Executes(_ => 1)));

        Assert.Equal(
            [$"Step name '{name}' is not valid: use lower-case letters, digits and '-', starting with a letter (for example '{suggestion}')."],
            e.Problems);
    }

    [Fact]
    public void Build_InvalidPipelineName_IsReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("Stock Forecaster", p => p.Step("a").Executes(_ => 1)));

        Assert.Equal(
            ["Pipeline name 'Stock Forecaster' is not valid: use lower-case letters, digits and '-', starting with a letter."],
            e.Problems);
    }

    [Fact]
    public void Build_RetryAndTimeoutOptionsOutOfRange_AreEachReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("a").WithRetry(r => r.Delay = TimeSpan.FromSeconds(-2)).Executes(_ => 1);
            p.Step("b").WithRetry(r => { r.Delay = TimeSpan.FromMinutes(10); r.MaxDelay = TimeSpan.FromMinutes(1); }).Executes(_ => 1);
            p.Step("c").WithTimeout(TimeSpan.Zero).Executes(_ => 1);
        }));

        Assert.Equal(
            [
                "Step 'a' has a negative retry Delay (-00:00:02): use TimeSpan.Zero or more.",
                "Step 'b' has MaxDelay (00:01:00) shorter than Delay (00:10:00): raise MaxDelay.",
                "Step 'c' has timeout 00:00:00: use a positive duration, or no timeout.",
            ],
            e.Problems);
    }

    [Fact]
    public void Build_RetryOptions_AreReadOnlyCopiesOfWhatTheStepDeclared()
    {
        RetryOptions? declared = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            p.Step("flaky").WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.FromSeconds(5); declared = r; }).Executes(_ => 1);
            p.Step("a").Executes(_ => 1);
            p.Step("b").Executes(_ => 2);
        });

        // Changing what WithRetry was given after the build changes nothing the engine reads.
        declared!.MaxAttempts = 9;
        RetryOptions flaky = pipeline["flaky"].Retry;
        Assert.Equal((3, TimeSpan.FromSeconds(5), Backoff.Exponential, TimeSpan.FromMinutes(5), true), (flaky.MaxAttempts, flaky.Delay, flaky.Backoff, flaky.MaxDelay, flaky.UseJitter));
        Assert.True(flaky.IsReadOnly);
        Assert.False(declared.IsReadOnly);

        // Steps without retry options share the defaults, which no step can change for the others.
        RetryOptions defaults = pipeline["a"].Retry;
        Assert.Same(defaults, pipeline["b"].Retry);
        Assert.Equal((1, TimeSpan.FromSeconds(1), Backoff.Exponential, TimeSpan.FromMinutes(5), true), (defaults.MaxAttempts, defaults.Delay, defaults.Backoff, defaults.MaxDelay, defaults.UseJitter));
        var e = Assert.Throws<InvalidOperationException>(() => defaults.MaxAttempts = 5);
        Assert.Contains("WithRetry", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => flaky.Delay = TimeSpan.Zero);
        Assert.Throws<InvalidOperationException>(() => flaky.Backoff = Backoff.Constant);
        Assert.Throws<InvalidOperationException>(() => flaky.MaxDelay = TimeSpan.Zero);
        Assert.Throws<InvalidOperationException>(() => flaky.UseJitter = false);
        Assert.Equal(1, defaults.MaxAttempts);
    }

    [Fact]
    public void Executes_NullWork_IsRefusedWhereItIsDeclared()
    {
        Assert.Throws<ArgumentNullException>(() => Pipeline.Define("x", p => p.Step("a").Executes((Func<Execution.StepContext, int>)null!)));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.json")]
    [InlineData("data/../../outside.json")]
    [InlineData("C:\\data\\x.json")]
    public void Build_PublishPathOutsideProject_IsReported(string path)
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p => p.Step("a").Publish(path).Executes(_ => 1)));

        Assert.Equal(
            [$"Step 'a' publishes to '{path}', which is not inside the project: use a relative path such as 'data/a.json'."],
            e.Problems);
    }

    [Fact]
    public void Build_WorkSetTwice_IsReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            StepBuilder step = p.Step("a");
            step.Executes(_ => 1);
            step.Executes(_ => 2);
        }));

        Assert.Equal(["Step 'a' has its work set twice: call Executes or Uses once per step."], e.Problems);
    }

    [Fact]
    public void Build_OptionsSetAfterTheWork_AreReportedNotIgnored()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("a").Executes(_ => 1);
            StepBuilder step = p.Step("b");
            step.Executes(_ => 1);
            step.WithRetry(r => r.MaxAttempts = 3).WithTimeout(TimeSpan.FromMinutes(1)).After("a");
        }));

        Assert.Equal(
            [
                "Step 'b' calls WithRetry(...) after its work is set, where it has no effect: call it before Executes(...) or Uses(...).",
                "Step 'b' calls WithTimeout(...) after its work is set, where it has no effect: call it before Executes(...) or Uses(...).",
                "Step 'b' calls After(...) after its work is set, where it has no effect: call it before Executes(...) or Uses(...).",
            ],
            e.Problems);
    }

    [Fact]
    public void Build_SectionBoundToTwoTypes_IsReported()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            Artifact<SettingsA> a = p.Parameters<SettingsA>("Forecast");
            Artifact<SettingsB> b = p.Parameters<SettingsB>("Forecast");
            p.Step("a").Executes(a, b, (_, _, _) => 1);
        }));

        Assert.Equal(["Parameters 'Forecast' are bound twice, as SettingsA and as SettingsB: bind each section to one type."], e.Problems);
    }

    [Fact]
    public void Build_ValidPipeline_KeepsDeclarationOrderEdgesAndOptions()
    {
        Pipeline pipeline = Pipeline.Define("stock-forecaster", p =>
        {
            Artifact<ForecastSettings> settings = p.Parameters<ForecastSettings>();
            Artifact<int> raw = p.Step("ingest")
                .WithRetry(r => { r.MaxAttempts = 5; r.Backoff = Backoff.Linear; })
                .WithTimeout(TimeSpan.FromMinutes(2))
                .Publish("data/prices_raw.json")
                .Executes(settings, (_, _) => 1);
            p.Step("clean").Version("2").After("ingest").Executes(raw, settings, (_, v, _) => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

        Assert.Equal(["ingest", "clean"], pipeline.Steps.Select(s => s.Name));
        Assert.Equal([new ParameterDefinition("Forecast", typeof(ForecastSettings))], pipeline.Parameters);
        StepDefinition ingest = pipeline["ingest"];
        Assert.Equal((5, Backoff.Linear), (ingest.Retry.MaxAttempts, ingest.Retry.Backoff));
        Assert.Equal(TimeSpan.FromMinutes(2), ingest.Timeout);
        Assert.Equal("data/prices_raw.json", ingest.PublishPath);
        Assert.Equal(typeof(int), ingest.OutputType);
        StepDefinition clean = pipeline["clean"];
        Assert.Equal("2", clean.Version);
        Assert.Equal(typeof(string), clean.OutputType);
        Assert.Equal(["ingest"], clean.Dependencies);
    }

    [Fact]
    public void Build_RetryOptionsChangedAfterwards_DefinitionIsUnchanged()
    {
        RetryOptions? captured = null;
        Pipeline pipeline = Pipeline.Define("x", p =>
            p.Step("a").WithRetry(r => { r.MaxAttempts = 3; captured = r; }).Executes(_ => 1));

        captured!.MaxAttempts = 9;

        Assert.Equal(3, pipeline["a"].Retry.MaxAttempts);
    }

    [Theory]
    [InlineData(typeof(ForecastSettings), "Forecast")]
    [InlineData(typeof(SettingsA), "SettingsA")]
    [InlineData(typeof(Settings), "Settings")]
    public void Parameters_NoSection_UsesTypeNameWithoutSuffix(Type type, string section) =>
        Assert.Equal(section, PipelineBuilder.DefaultSection(type));

    public sealed class ForecastSettings
    {
        public int Window { get; set; }
    }

    public sealed class SettingsA
    {
    }

    public sealed class SettingsB
    {
    }

    public sealed class Settings
    {
    }
}
