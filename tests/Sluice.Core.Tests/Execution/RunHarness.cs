using Sluice.Definitions;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>The real coordinator on a fake clock, an in-memory store and a recording observer.</summary>
internal sealed class RunHarness
{
    public TestClock Clock { get; } = new();

    public InMemoryRunStore Store { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public RunOptions Options { get; } = new();

    /// <summary>Gets the observers the coordinator reports to; <see cref="Observer"/> is always among them.</summary>
    public List<IRunObserver> Observers { get; }

    public RunHarness() => Observers = [Observer];

    public RunId RunId { get; } = RunId.New(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), 0x3f9a);

    /// <summary>Starts a run of every step (or the selection) on the thread pool; the test drives the clock meanwhile.</summary>
    public Task<RunResult> StartAsync(
        Pipeline pipeline,
        StepSelection? selection = null,
        IReadOnlyDictionary<string, object>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        ExecutionPlan plan = Planner.Plan(new PipelineGraph(pipeline), selection ?? StepSelection.All);
        var coordinator = new RunCoordinator(Store, Clock, Observers, Options);
        var run = new RunRecord(RunId, pipeline.Name, RunStatus.Pending, Clock.GetUtcNow(), null, "sluice run", "test-host", 4242, null);
        return Task.Run(
            () => coordinator.RunAsync(plan, run, parameters ?? new Dictionary<string, object>(), cancellationToken),
            CancellationToken.None);
    }

    /// <summary>Runs to the end; for runs that need no clock advances.</summary>
    public async Task<RunResult> RunAsync(
        Pipeline pipeline,
        StepSelection? selection = null,
        IReadOnlyDictionary<string, object>? parameters = null) =>
        await StartAsync(pipeline, selection, parameters).WaitAsync(Watchdog.Limit);

    /// <summary>Awaits a started run, failing instead of hanging if it never ends.</summary>
    public static Task<RunResult> Finish(Task<RunResult> run) => run.WaitAsync(Watchdog.Limit);

    public async Task<IReadOnlyList<StepAttemptRecord>> AttemptsAsync(string step) =>
        [.. (await Store.GetAttemptsAsync(RunId)).Where(a => a.Step == step)];

    public async Task<StepRecord> StepAsync(string step) =>
        (await Store.GetStepsAsync(RunId)).Single(s => s.Step == step);

    /// <summary>Checks that the store tells the same story as the result: run, steps, attempts and events.</summary>
    public async Task AssertStoreMatchesAsync(RunResult result)
    {
        Assert.Equal(0, Store.LostTransitions);

        RunRecord? run = await Store.GetRunAsync(RunId);
        Assert.NotNull(run);
        Assert.Equal(result.Status, run.Status);
        Assert.NotNull(run.EndedAt);
        Assert.Equal(result.Status == RunStatus.Succeeded ? null : result.Reason, run.Reason);

        IReadOnlyList<StepRecord> steps = await Store.GetStepsAsync(RunId);
        IReadOnlyList<StepAttemptRecord> attempts = await Store.GetAttemptsAsync(RunId);
        Assert.Equal(result.Steps.Count, steps.Count);
        foreach (StepRecord step in steps)
        {
            Assert.True(result.Steps[step.Step] == step.Status, $"step '{step.Step}': result says {result.Steps[step.Step]}, store says {step.Status}");
            Assert.True(step.Status.IsFinal(), $"step '{step.Step}' left {step.Status}");
            if (step.Status != StepStatus.Skipped)
            {
                Assert.NotNull(step.EndedAt);
            }

            StepAttemptRecord[] own = [.. attempts.Where(a => a.Step == step.Step)];
            Assert.Equal(step.Attempts, own.Length);
            Assert.Equal(Enumerable.Range(1, own.Length), own.Select(a => a.Attempt));
            Assert.All(own, a => Assert.NotEqual(AttemptOutcome.Running, a.Outcome));
            Assert.All(own, a => Assert.NotNull(a.EndedAt));
            if (own.Length > 0)
            {
                Assert.NotNull(step.StartedAt);
            }

            AttemptOutcome[] earlier = [.. own.SkipLast(1).Select(a => a.Outcome)];
            Assert.DoesNotContain(AttemptOutcome.Succeeded, earlier);
            switch (step.Status)
            {
                case StepStatus.Succeeded:
                    Assert.Equal(AttemptOutcome.Succeeded, own[^1].Outcome);
                    break;
                case StepStatus.Failed:
                    Assert.Contains(own[^1].Outcome, (AttemptOutcome[])[AttemptOutcome.Failed, AttemptOutcome.TimedOut]);
                    break;
                case StepStatus.Skipped or StepStatus.UpstreamFailed:
                    Assert.Empty(own);
                    break;
                case StepStatus.Cancelled when own.Length > 0:
                    Assert.NotEqual(AttemptOutcome.Succeeded, own[^1].Outcome);
                    break;
            }
        }

        // The journal writes an event to the store and then tells the observers, without a lock
        // around both, so events of steps running at once may interleave differently in each.
        // Each step's own events, and the set of all events, must agree.
        IReadOnlyList<RunEvent> stored = await Store.GetEventsAsync(RunId);
        IReadOnlyList<RunEvent> observed = Observer.Events;
        Assert.Equal(observed.Count, stored.Count);
        foreach (IGrouping<string?, RunEvent> step in observed.GroupBy(e => e.Step))
        {
            Assert.Equal(step, stored.Where(e => e.Step == step.Key));
        }
    }
}
