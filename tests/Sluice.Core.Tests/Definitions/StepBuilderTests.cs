using System.Globalization;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Definitions;

// The declared types of the locals are the compile-time half of these tests: a change in
// overload resolution (say, an async lambda binding to Func<StepContext, TOut> with TOut = Task)
// stops the project from compiling. Running the pipeline is the other half.
public class StepBuilderTests
{
    [Fact]
    public async Task Executes_SyncValueLambda_OutputIsTheValue()
    {
        int seen = 0;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> answer = p.Step("answer").Executes(_ => 42);
            p.Step("sink").Executes(answer, (_, v) => { seen = v; });
        });

        RunResult result = await new RunHarness().RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(42, seen);
        Assert.Equal(typeof(int), pipeline["answer"].OutputType);
    }

    [Fact]
    public async Task Executes_TaskOfTLambdas_OutputIsTheAwaitedValue()
    {
        string seen = "";
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> asyncLambda = p.Step("async-lambda").Executes(async _ =>
            {
                await Task.Yield();
                return 20;
            });
            Artifact<string> taskReturning = p.Step("task-returning").Executes(_ => Task.FromResult("22"));
            p.Step("sink").Executes(asyncLambda, taskReturning, (_, a, b) => { seen = $"{a}+{b}"; });
        });

        RunResult result = await new RunHarness().RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("20+22", seen);
        Assert.Equal(typeof(int), pipeline["async-lambda"].OutputType);
        Assert.Equal(typeof(string), pipeline["task-returning"].OutputType);
    }

    [Fact]
    public async Task Executes_TaskLambdas_AreAwaitedBeforeDownstreamStarts()
    {
        var observed = new List<TimeSpan>();
        var harness = new RunHarness();
        DateTimeOffset start = harness.Clock.GetUtcNow();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<Unit> wait = p.Step("wait").Executes(ctx => Task.Delay(TimeSpan.FromSeconds(5), ctx.Time, ctx.CancellationToken));
            Artifact<Unit> asyncWait = p.Step("async-wait").After(wait).Executes(async ctx =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3), ctx.Time, ctx.CancellationToken);
            });
            p.Step("sink").After(asyncWait).Executes(ctx => { observed.Add(ctx.Time.GetUtcNow() - start); });
        });

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(5));
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(3));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal([TimeSpan.FromSeconds(8)], observed);
        Assert.Equal(typeof(Unit), pipeline["wait"].OutputType);
    }

    [Fact]
    public async Task Executes_VoidLambdas_RunForTheirEffects()
    {
        var effects = new List<string>();
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<Unit> block = p.Step("block").Executes(ctx => { effects.Add(ctx.Step); });
            Artifact<Unit> call = p.Step("call").After(block).Executes(ctx => effects.Add(ctx.Step));
            Artifact<int> number = p.Step("number").After(call).Executes(_ => 3);
            p.Step("with-input").Executes(number, (ctx, n) => effects.Add($"{ctx.Step} {n}"));
        });

        RunResult result = await new RunHarness().RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["block", "call", "with-input 3"], effects);
    }

    [Fact]
    public async Task Executes_MethodGroup_BindsLikeALambda()
    {
        int seen = 0;
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> seven = p.Step("seven").Executes(Seven);
            p.Step("sink").Executes(seven, (_, v) => { seen = v; });
        });

        await new RunHarness().RunAsync(pipeline);

        Assert.Equal(7, seen);
    }

    [Fact]
    public async Task Executes_FourInputs_ArriveInDeclaredOrder()
    {
        string seen = "";
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<int> a = p.Step("a").Executes(_ => 1);
            Artifact<string> b = p.Step("b").Executes(_ => "two");
            Artifact<double> c = p.Step("c").Executes(_ => 3.5);
            Artifact<bool> d = p.Step("d").Executes(_ => true);
            Artifact<string> joined = p.Step("join").Executes(a, b, c, d, (_, w, x, y, z) =>
                string.Create(CultureInfo.InvariantCulture, $"{w} {x} {y} {z}"));
            p.Step("sink").Executes(joined, (_, v) => { seen = v; });
        });

        await new RunHarness().RunAsync(pipeline);

        Assert.Equal("1 two 3.5 True", seen);
    }

    [Fact]
    public async Task Uses_ClassSteps_AreCreatedFromTheRunServices()
    {
        var services = new Services(new Greeter("hello"), new Doubler(), new Joiner());
        string seen = "";
        Pipeline pipeline = Pipeline.Define("x", p =>
        {
            Artifact<string> greeting = p.Step("greet").Uses(sp => (Greeter)sp.GetService(typeof(Greeter))!);
            Artifact<int> ten = p.Step("ten").Executes(_ => 10);
            Artifact<int> twenty = p.Step("double").Uses(ten, sp => (Doubler)sp.GetService(typeof(Doubler))!);
            Artifact<string> joined = p.Step("join").Uses(greeting, twenty, sp => (Joiner)sp.GetService(typeof(Joiner))!);
            p.Step("sink").Executes(joined, (_, v) => { seen = v; });
        });
        var harness = new RunHarness();
        harness.Options.Services = services;

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("hello 20", seen);
        Assert.Equal(typeof(string), pipeline["greet"].OutputType);
        Assert.Equal(typeof(int), pipeline["double"].OutputType);
    }

    [Fact]
    public async Task Uses_NoServicesConfigured_FactoryGetsAnEmptyProvider()
    {
        object? resolved = "not called";
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("greet").Uses(sp =>
        {
            resolved = sp.GetService(typeof(Greeter));
            return new Greeter("hi");
        }));

        RunResult result = await new RunHarness().RunAsync(pipeline);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Null(resolved);
    }

    private static int Seven(StepContext context) => 7;

    private sealed class Greeter(string greeting) : IStep<string>
    {
        public Task<string> ExecuteAsync(StepContext context) => Task.FromResult(greeting);
    }

    private sealed class Doubler : IStep<int, int>
    {
        public Task<int> ExecuteAsync(StepContext context, int input1) => Task.FromResult(input1 * 2);
    }

    private sealed class Joiner : IStep<string, int, string>
    {
        public Task<string> ExecuteAsync(StepContext context, string input1, int input2) =>
            Task.FromResult(string.Create(CultureInfo.InvariantCulture, $"{input1} {input2}"));
    }

    private sealed class Services(params object[] services) : IServiceProvider
    {
        public object? GetService(Type serviceType) => services.FirstOrDefault(serviceType.IsInstanceOfType);
    }
}
