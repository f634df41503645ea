using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Commands;

/// <summary>A command step's outputs may finish publishing after the attempt returns; the step only succeeds, and the next one only starts, once they have.</summary>
public class CommandPublishingTests
{
    /// <summary>Starts make -> use, each a command step, on the gated workspace.</summary>
    private static Task<RunResult> StartTwoSteps(RunHarness harness, ScriptedWorkspace workspace, RecordingRunner runner)
    {
        harness.Options.Services = new FakeCommandServices(runner, workspace);
        Pipeline pipeline = Pipeline.Define("gated", p =>
        {
            p.Command("make", c => c.Run("make-it", "{out:0}").Outputs("data/a.txt"));
            p.Command("use", c => c.Run("use-it", "{in:0}", "{out:0}").Inputs("data/a.txt").Outputs("data/b.txt"));
        });
        return harness.StartAsync(pipeline);
    }

    [Fact]
    public async Task Run_PublishingStillFinishing_NextStepWaitsUntilItIsDone()
    {
        var workspace = new ScriptedWorkspace();
        TaskCompletionSource makePublished = workspace.Gate("make", 1);
        var runner = new RecordingRunner(() => makePublished.Task.IsCompleted);
        var harness = new RunHarness();
        Task<RunResult> run = StartTwoSteps(harness, workspace, runner);
        await workspace.Begun("make");

        // A real-time window, not a clock advance: what is checked is that nothing is dispatched while publishing runs.
        await Task.Delay(200);
        Assert.Equal(["make-it (published: False)"], runner.Programs);
        Assert.False(run.IsCompleted);

        makePublished.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["make-it (published: False)", "use-it (published: True)"], runner.Programs);
    }

    [Fact]
    public async Task Run_PublishingFails_StepFailsAndTheNextNeverStarts()
    {
        var workspace = new ScriptedWorkspace();
        TaskCompletionSource makePublished = workspace.Gate("make", 1);
        var runner = new RecordingRunner(() => makePublished.Task.IsCompleted);
        var harness = new RunHarness();
        Task<RunResult> run = StartTwoSteps(harness, workspace, runner);
        await workspace.Begun("make");
        makePublished.SetException(new IOException("disk full"));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, (await harness.StepAsync("make")).Status);
        Assert.Equal(["make-it (published: False)"], runner.Programs);
    }

    [Fact]
    public async Task Run_PublishingFailedBeforeTheStepReturns_StepFailsAndTheNextNeverStarts()
    {
        // The same failure, already complete when the step looks at it: it must count as much as one still to come.
        var workspace = new ScriptedWorkspace();
        TaskCompletionSource makePublished = workspace.Gate("make", 1);
        makePublished.SetException(new IOException("disk full"));
        var runner = new RecordingRunner(() => makePublished.Task.IsCompleted);
        var harness = new RunHarness();
        RunResult result = await RunHarness.Finish(StartTwoSteps(harness, workspace, runner));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, (await harness.StepAsync("make")).Status);
        Assert.Equal(["make-it (published: True)"], runner.Programs);
    }

    private sealed class RecordingRunner(Func<bool> published) : ICommandRunner
    {
        public List<string> Programs { get; } = [];

        public Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken)
        {
            lock (Programs)
            {
                Programs.Add($"{launch.Program} (published: {published()})");
            }

            return Task.FromResult(new CommandExit(0, []));
        }
    }
}
