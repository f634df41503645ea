using Sluice.Definitions;

namespace Sluice.Cli.Tests.Commands;

/// <summary>The commands' text output, compared with approved files; the clock is fake so times and durations are fixed.</summary>
public sealed class CommandOutputTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public CommandOutputTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    /// <summary>A diamond with an order-only edge and a parameter section: enough to show every kind of line.</summary>
    internal static Pipeline Diamond(string? failStep = null) => Pipeline.Define("diamond", p =>
    {
        Artifact<DiamondSettings> settings = p.Parameters<DiamondSettings>();
        Artifact<int> source = p.Step("source").Executes(settings, (ctx, s) => s.Start);
        Artifact<int> left = p.Step("left").Executes(source, (ctx, x) => Fail(ctx.Step, failStep) + x + 1);
        Artifact<int> right = p.Step("right")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.Zero; r.UseJitter = false; })
            .Executes(source, (ctx, x) => Fail(ctx.Step, failStep) + x * 2);
        Artifact<int> join = p.Step("join").Executes(left, right, (ctx, l, r) => l + r);
        p.Step("audit").After("join").Executes(ctx => { });
    });

    private static int Fail(string step, string? failStep) =>
        step == failStep ? throw new InvalidOperationException($"{step} broke") : 0;

    [Fact]
    public async Task Plan_AllSteps_PrintsAlignedDecisions()
    {
        var (exit, output, _) = await _cli.RunAsync(() => Diamond(), "plan");
        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(output, "plan-all");
    }

    [Fact]
    public async Task Plan_FromAndUntil_IntersectsSelections()
    {
        var (exit, output, _) = await _cli.RunAsync(() => Diamond(), "plan", "--from", "source", "--until", "left", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(output, "plan-from-until-json");
    }

    [Theory]
    [InlineData("text")]
    [InlineData("mermaid")]
    [InlineData("dot")]
    public async Task Graph_EachFormat_MatchesApproved(string format)
    {
        var (exit, output, _) = await _cli.RunAsync(() => Diamond(), "graph", "--format", format);
        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(output, "graph-" + format);
    }

    [Fact]
    public async Task Run_Succeeds_ThenRunsAndShowDescribeIt()
    {
        var (exit, output, _) = await _cli.RunAsync(() => Diamond(), "run", "-j", "1");
        Assert.Equal(ExitCodes.Success, exit);
        Approvals.Verify(output, "run-succeeded");

        var (_, runs, _) = await _cli.RunAsync(() => Diamond(), "runs");
        Approvals.Verify(runs, "runs-one");

        var (_, show, _) = await _cli.RunAsync(() => Diamond(), "show", "last");
        Approvals.Verify(show, "show-succeeded");
    }

    [Fact]
    public async Task Run_StepFailsAfterRetries_ExitsOneAndShowExplains()
    {
        var (exit, output, _) = await _cli.RunAsync(() => Diamond(failStep: "right"), "run", "-j", "1");
        Assert.Equal(ExitCodes.RunFailed, exit);
        Approvals.Verify(output, "run-failed");

        var (_, show, _) = await _cli.RunAsync(() => Diamond(), "show", "last");
        Approvals.Verify(show, "show-failed");

        var (_, events, _) = await _cli.RunAsync(() => Diamond(), "logs", "last", "--json");
        Approvals.Verify(events, "logs-failed-json");

        var (_, stepLog, _) = await _cli.RunAsync(() => Diamond(), "logs", "last", "right");
        Assert.Contains("fail run=20261127-101500-ab09 step=right attempt=3 System.InvalidOperationException: right broke", stepLog);
    }

    [Fact]
    public async Task Run_KeepGoing_RunsIndependentBranch()
    {
        var (exit, _, _) = await _cli.RunAsync(() => Diamond(failStep: "right"), "run", "-j", "1", "--keep-going");
        Assert.Equal(ExitCodes.RunFailed, exit);
        var (_, show, _) = await _cli.RunAsync(() => Diamond(), "show", "last", "--json");
        Assert.Contains("\"step\": \"left\",\n      \"status\": \"succeeded\"", show.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("\"step\": \"join\",\n      \"status\": \"upstream-failed\"", show.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

/// <summary>The diamond's parameters.</summary>
public sealed class DiamondSettings
{
    /// <summary>Gets or sets the source's value.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1000)]
    public int Start { get; set; } = 1;
}
