using Sluice.Definitions;

namespace Sluice.Planning;

public class PipelineGraphTests
{
    [Fact]
    public void Order_Diamond_RootFirstJoinLast()
    {
        var graph = new PipelineGraph(Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            Artifact<int> c = p.Step("c").Executes(a, (_, v) => v);
            Artifact<int> b = p.Step("b").Executes(a, (_, v) => v);
            p.Step("d").Executes(b, c, (_, x, y) => x + y);
        }));

        // b and c tie; c was declared first.
        Assert.Equal(["a", "c", "b", "d"], Names(graph.Order));
        AssertRespectsEdges(graph);
    }

    [Fact]
    public void Order_ChainDeclaredBackwards_FollowsTheEdges()
    {
        var graph = new PipelineGraph(Pipeline.Define("x", p =>
        {
            p.Step("c").After("b").Executes(_ => { });
            p.Step("b").After("a").Executes(_ => { });
            p.Step("a").Executes(_ => { });
        }));

        Assert.Equal(["a", "b", "c"], Names(graph.Order));
        AssertRespectsEdges(graph);
    }

    [Fact]
    public void Order_FanOut_BranchesInDeclarationOrderNotByName()
    {
        var graph = new PipelineGraph(Pipeline.Define("x", p =>
        {
            Artifact<int> root = p.Step("root").Executes(_ => 1);
            p.Step("zeta").Executes(root, (_, v) => v);
            p.Step("alpha").Executes(root, (_, v) => v);
            p.Step("mid").Executes(root, (_, v) => v);
        }));

        Assert.Equal(["root", "zeta", "alpha", "mid"], Names(graph.Order));
    }

    [Fact]
    public void Order_SeveralReady_TheOneDeclaredFirstGoesNext()
    {
        // When 'a' is done both 'late' and 'b' are ready and 'late' was declared first.
        // Kahn's algorithm with a FIFO queue would give a, b, late, early.
        var graph = new PipelineGraph(Pipeline.Define("x", p =>
        {
            p.Step("a").Executes(_ => { });
            p.Step("early").After("late").Executes(_ => { });
            p.Step("late").After("a").Executes(_ => { });
            p.Step("b").Executes(_ => { });
        }));

        Assert.Equal(["a", "late", "early", "b"], Names(graph.Order));
        AssertRespectsEdges(graph);
    }

    [Fact]
    public void Order_SamePipelineTwice_IsIdentical()
    {
        static Pipeline Define() => Pipeline.Define("x", p =>
        {
            for (int i = 0; i < 50; i++)
            {
                StepBuilder step = p.Step($"s{i}");
                if (i > 0)
                {
                    step.After($"s{((i * 37) + 11) % i}");
                }

                step.Executes(_ => { });
            }
        });

        Assert.Equal(Names(new PipelineGraph(Define()).Order), Names(new PipelineGraph(Define()).Order));
    }

    [Fact]
    public void UpstreamAndDownstream_IncludeRootsAndFollowBothKindsOfEdge()
    {
        var graph = new PipelineGraph(Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            p.Step("b").Executes(a, (_, v) => v);
            p.Step("c").After("b").Executes(_ => { });
            p.Step("other").Executes(_ => { });
        }));

        Assert.Equal(["a", "b", "c"], Names(graph, graph.Downstream([graph.IndexOf("a")])));
        Assert.Equal(["a", "b", "c"], Names(graph, graph.Upstream([graph.IndexOf("c")])));
        Assert.Equal(["b", "c"], Names(graph, graph.Downstream([graph.IndexOf("b")])));
        Assert.Equal(["other"], Names(graph, graph.Upstream([graph.IndexOf("other")])));
    }

    [Fact]
    public void FindCycles_TenThousandStepChainWithBackEdge_ReportsTheWholeCycleWithoutOverflow()
    {
        const int n = 10_000;
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("s0").After($"s{n - 1}").Executes(_ => { });
            for (int i = 1; i < n; i++)
            {
                p.Step($"s{i}").After($"s{i - 1}").Executes(_ => { });
            }
        }));

        string expected = "Dependency cycle: " + string.Join(" -> ", Enumerable.Range(0, n).Append(0).Select(i => $"s{i}"));
        Assert.Equal([expected], e.Problems);
    }

    [Fact]
    public void FindCycles_TwoSeparateCycles_ReportsEachOnceSortedByFirstStep()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("y").After("z").Executes(_ => { });
            p.Step("z").After("y").Executes(_ => { });
            p.Step("b").After("c").Executes(_ => { });
            p.Step("c").After("b").Executes(_ => { });
            p.Step("free").After("b").Executes(_ => { });
        }));

        Assert.Equal(["Dependency cycle: b -> c -> b", "Dependency cycle: y -> z -> y"], e.Problems);
    }

    [Fact]
    public void FindCycles_CycleWithShortcut_ReportsTheShortestPath()
    {
        var e = Assert.Throws<PipelineDefinitionException>(() => Pipeline.Define("x", p =>
        {
            p.Step("a").After("d").Executes(_ => { });
            p.Step("b").After("a").Executes(_ => { });
            p.Step("c").After("b").Executes(_ => { });
            p.Step("d").After("c", "a").Executes(_ => { });
        }));

        Assert.Equal(["Dependency cycle: a -> d -> a"], e.Problems);
    }

    [Fact]
    public void Constructor_TenThousandStepChain_OrdersItWithoutOverflow()
    {
        const int n = 10_000;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            for (int i = n - 1; i >= 0; i--)
            {
                StepBuilder step = p.Step($"s{i}");
                if (i > 0)
                {
                    step.After($"s{i - 1}");
                }

                step.Executes(_ => { });
            }
        });

        var graph = new PipelineGraph(pipeline);

        Assert.Equal(Enumerable.Range(0, n).Select(i => $"s{i}"), Names(graph.Order));
        Assert.Equal(n, graph.Upstream([graph.IndexOf($"s{n - 1}")]).Count);
    }

    private static string[] Names(IEnumerable<StepDefinition> steps) => [.. steps.Select(s => s.Name)];

    private static string[] Names(PipelineGraph graph, IEnumerable<int> positions) =>
        [.. positions.Order().Select(i => graph.Steps[i].Name)];

    private static void AssertRespectsEdges(PipelineGraph graph)
    {
        var at = graph.Order.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (StepDefinition step in graph.Steps)
        {
            foreach (string dependency in step.Dependencies)
            {
                Assert.True(at[dependency] < at[step.Name], $"'{dependency}' must come before '{step.Name}'");
            }
        }
    }
}
