using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Commands;

/// <summary>A command step's outputs may finish publishing after the attempt returns; the step only succeeds, and the next one only starts, once they have.</summary>
public class CommandPublishingTests
{
    /// <summary>Starts make -> use, each a command step, on the gated workspace.</summary>
    private static Task<RunResult> StartTwoSteps(RunHarness harness, GatedWorkspace workspace, RecordingRunner runner)
    {
        harness.Options.Services = new Services(runner, workspace);
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
        var workspace = new GatedWorkspace();
        var runner = new RecordingRunner(() => workspace.Release.Task.IsCompleted);
        var harness = new RunHarness();
        Task<RunResult> run = StartTwoSteps(harness, workspace, runner);
        await workspace.FirstBegun.Task.WaitAsync(Watchdog.Limit);

        // A real-time window, not a clock advance: what is checked is that nothing is dispatched while publishing runs.
        await Task.Delay(200);
        Assert.Equal(["make-it (published: False)"], runner.Programs);
        Assert.False(run.IsCompleted);

        workspace.Release.SetResult();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["make-it (published: False)", "use-it (published: True)"], runner.Programs);
    }

    [Fact]
    public async Task Run_PublishingFails_StepFailsAndTheNextNeverStarts()
    {
        var workspace = new GatedWorkspace();
        var runner = new RecordingRunner(() => workspace.Release.Task.IsCompleted);
        var harness = new RunHarness();
        Task<RunResult> run = StartTwoSteps(harness, workspace, runner);
        await workspace.FirstBegun.Task.WaitAsync(Watchdog.Limit);
        workspace.Release.SetException(new IOException("disk full"));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, (await harness.StepAsync("make")).Status);
        Assert.Equal(["make-it (published: False)"], runner.Programs);
    }

    [Fact]
    public async Task Run_PublishingFailedBeforeTheStepReturns_StepFailsAndTheNextNeverStarts()
    {
        // The same failure, already complete when the step looks at it: it must count as much as one still to come.
        var workspace = new GatedWorkspace();
        workspace.Release.SetException(new IOException("disk full"));
        var runner = new RecordingRunner(() => workspace.Release.Task.IsCompleted);
        var harness = new RunHarness();
        RunResult result = await RunHarness.Finish(StartTwoSteps(harness, workspace, runner));

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, (await harness.StepAsync("make")).Status);
        Assert.Equal(["make-it (published: True)"], runner.Programs);
    }

    private sealed class Services(ICommandRunner runner, ICommandWorkspace workspace) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(ICommandRunner) ? runner : serviceType == typeof(ICommandWorkspace) ? workspace : null;
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

    /// <summary>The first step's publishing finishes only when the test says so; later ones at once.</summary>
    private sealed class GatedWorkspace : ICommandWorkspace
    {
        private int _begun;

        public TaskCompletionSource FirstBegun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> CreateStagingAsync(RunId run, string step, int attempt, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
            Task.FromResult($"/staging/{step}");

        public Task<IReadOnlyList<string>> FindMissingAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task<CommandOutputs> PublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("BeginPublishAsync is what command steps call.");

        public Task<(CommandOutputs Outputs, Task Published)> BeginPublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
        {
            var manifest = new CommandOutputs([.. outputs.Select(o => new CommandOutputFile(o, "xxh128:00112233445566778899aabbccddeeff", 1))]);
            if (Interlocked.Increment(ref _begun) == 1)
            {
                FirstBegun.SetResult();
                return Task.FromResult((manifest, Release.Task));
            }

            return Task.FromResult((manifest, Task.CompletedTask));
        }

        public Task DeleteStagingAsync(string staging) => Task.CompletedTask;
    }
}
