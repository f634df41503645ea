using Sluice.Definitions;

namespace Sluice.Planning;

public class PlannerTests
{
    // a -> b -> c, a -> d, and e on its own; order-only edges, so any selection can run.
    private static readonly PipelineGraph Branches = new(Pipeline.Define("branches", p =>
    {
        p.Step("a").Executes(_ => { });
        p.Step("b").After("a").Executes(_ => { });
        p.Step("c").After("b").Executes(_ => { });
        p.Step("d").After("a").Executes(_ => { });
        p.Step("e").Executes(_ => { });
    }));

    // ingest -> clean -> model, each taking the previous step's output.
    private static readonly PipelineGraph Chain = new(Pipeline.Define("chain", p =>
    {
        Artifact<int> raw = p.Step("ingest").Executes(_ => 1);
        Artifact<int> clean = p.Step("clean").Executes(raw, (_, v) => v);
        p.Step("model").Executes(clean, (_, v) => v);
    }));

    [Fact]
    public void Plan_All_RunsEveryStepInTopologicalOrder()
    {
        ExecutionPlan plan = Planner.Plan(Branches, StepSelection.All);

        Assert.Equal(
            ["a run no checkpoint", "b run no checkpoint", "c run no checkpoint", "d run no checkpoint", "e run no checkpoint"],
            Lines(plan));
        Assert.Equal([0, 1, 2, 3, 4], plan.Steps.Select(s => s.Order));
        Assert.Equal(5, plan.RunCount);
    }

    [Fact]
    public void Plan_Only_RunsExactlyTheNamedSteps()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { Only = ["b", "d"] });

        Assert.Equal(
            [
                "a skip not selected (--only)",
                "b run selected",
                "c skip not selected (--only)",
                "d run selected",
                "e skip not selected (--only)",
            ],
            Lines(plan));
        Assert.Equal(2, plan.RunCount);
    }

    [Fact]
    public void Plan_From_RunsTheStepAndEverythingDownstream()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { From = ["b"] });

        Assert.Equal(
            [
                "a skip not selected (not downstream of --from)",
                "b run selected",
                "c run selected",
                "d skip not selected (not downstream of --from)",
                "e skip not selected (not downstream of --from)",
            ],
            Lines(plan));
    }

    [Fact]
    public void Plan_SeveralFrom_RunsTheUnionOfTheirDownstreams()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { From = ["c", "d"] });

        Assert.Equal(["c", "d"], Running(plan));
    }

    [Fact]
    public void Plan_Until_RunsTheStepAndEverythingUpstream()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { Until = ["c"] });

        Assert.Equal(
            [
                "a run selected",
                "b run selected",
                "c run selected",
                "d skip not selected (not upstream of --until)",
                "e skip not selected (not upstream of --until)",
            ],
            Lines(plan));
    }

    [Fact]
    public void Plan_FromAndUntil_RunsTheStepsBetween()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { From = ["a"], Until = ["c"] });

        Assert.Equal(
            [
                "a run selected",
                "b run selected",
                "c run selected",
                "d skip not selected (not upstream of --until)",
                "e skip not selected (not downstream of --from)",
            ],
            Lines(plan));
    }

    [Fact]
    public void Plan_OnlyFromAndUntil_IntersectAndNameTheFirstOptionThatExcludes()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { Only = ["b", "c", "d"], From = ["b"], Until = ["b"] });

        Assert.Equal(
            [
                "a skip not selected (--only)",
                "b run selected",
                "c skip not selected (not upstream of --until)",
                "d skip not selected (not downstream of --from)",
                "e skip not selected (--only)",
            ],
            Lines(plan));
    }

    [Fact]
    public void Plan_OrderOnlyEdgeToUnselectedStep_IsAllowed()
    {
        ExecutionPlan plan = Planner.Plan(Branches, new StepSelection { Only = ["c"] });

        Assert.Equal(["c"], Running(plan));
    }

    [Fact]
    public void Plan_UnknownStepNames_ReportsEachWithDidYouMean()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() =>
            Planner.Plan(Chain, new StepSelection { Only = ["modle"], From = ["clena"], Until = ["ingest", "xyzzy-plugh"] }));

        Assert.Equal("chain", e.Pipeline);
        Assert.Equal(
            [
                "--only names step 'modle', which does not exist. Did you mean 'model'?",
                "--from names step 'clena', which does not exist. Did you mean 'clean'?",
                "--until names step 'xyzzy-plugh', which does not exist. Known steps: ingest, clean, model.",
            ],
            e.Problems);
        Assert.StartsWith("3 problems in pipeline 'chain':", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SelectedStepWhoseInputIsNotSelected_IsRejectedNamingBoth()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Planner.Plan(Chain, new StepSelection { Only = ["model"] }));

        Assert.Equal(
            ["Step 'model' takes the output of 'clean', which is not selected and has no checkpoint to reuse: select 'clean' too (for example with --until model)."],
            e.Problems);
    }

    [Fact]
    public void Plan_FromAStepWithAnInput_IsRejectedUntilCheckpointsExist()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Planner.Plan(Chain, new StepSelection { From = ["clean"] }));

        Assert.Equal(
            ["Step 'clean' takes the output of 'ingest', which is not selected and has no checkpoint to reuse: select 'ingest' too (for example with --until clean)."],
            e.Problems);
    }

    [Fact]
    public void Plan_UntilAStepWithInputs_SelectsItsProducers()
    {
        ExecutionPlan plan = Planner.Plan(Chain, new StepSelection { Until = ["clean"] });

        Assert.Equal(["ingest", "clean"], Running(plan));
        Assert.Equal("model skip not selected (not upstream of --until)", Lines(plan)[2]);
    }

    private static string[] Lines(ExecutionPlan plan) =>
        [.. plan.Steps.Select(s => $"{s.Step.Name} {s.DecisionText} {s.Reason}")];

    private static string[] Running(ExecutionPlan plan) =>
        [.. plan.Steps.Where(s => s.Decision == StepDecision.Run).Select(s => s.Step.Name)];
}
