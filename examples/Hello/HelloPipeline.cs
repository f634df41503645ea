using Sluice.Definitions;

namespace Hello;

/// <summary>The wiring: five steps, each a plain function in src/; passing an artifact is the dependency.</summary>
public static class HelloPipeline
{
    /// <summary>Defines the pipeline: load -> stats -> normalize -> report, and load -> expand (a large published artifact, empty by default).</summary>
    public static Pipeline Create() => Pipeline.Define("hello", p =>
    {
        p.JsonTypes(HelloJson.Default);
        Artifact<HelloSettings> settings = p.Parameters<HelloSettings>();
        Artifact<ProjectFile> numbers = p.File("data/numbers.csv");

        // Declaring the file makes its bytes part of load's fingerprint: edit it, and load and what follows re-run.
        Artifact<double[]> values = p.Step("load")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.FromMilliseconds(200); })
            .Executes(numbers, settings, (ctx, f, s) => Numbers.LoadAsync(f, s, ctx));

        Artifact<Summary> stats = p.Step("stats")
            .Executes(values, settings, (ctx, v, s) => Numbers.SummarizeAsync(v, s, ctx));

        Artifact<double[]> scores = p.Step("normalize")
            .Executes(values, stats, settings, (ctx, v, st, s) => Numbers.NormalizeAsync(v, st, s, ctx));

        p.Step("expand")
            .Publish("data/expanded.json")
            .Executes(values, settings, (ctx, v, s) => Numbers.ExpandAsync(v, s, ctx));

        p.Step("report")
            .Executes(stats, scores, settings, (ctx, st, z, s) => Numbers.WriteReportAsync(st, z, s, ctx));
    });
}
