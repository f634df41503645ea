using Sluice.State;

namespace Sluice.Execution;

// The coordinator tests trust this fake to refuse exactly what a real store refuses.
public class InMemoryRunStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private static readonly RunId Run = RunId.New(At, 1);

    [Fact]
    public async Task TryTransitionStep_FromTheExpectedState_WinsOnceOnly()
    {
        InMemoryRunStore store = await CreateAsync();

        Assert.True(await store.TryTransitionStepAsync(Run, "a", StepStatus.Pending, StepStatus.Running, At, null));
        Assert.False(await store.TryTransitionStepAsync(Run, "a", StepStatus.Pending, StepStatus.Running, At, null));
        Assert.False(await store.TryTransitionStepAsync(Run, "missing", StepStatus.Pending, StepStatus.Running, At, null));

        StepRecord step = Assert.Single(await store.GetStepsAsync(Run));
        Assert.Equal((StepStatus.Running, (DateTimeOffset?)At, (DateTimeOffset?)null), (step.Status, step.StartedAt, step.EndedAt));
        Assert.Equal(2, store.LostTransitions);
    }

    [Fact]
    public async Task TryTransitionRun_ToAFinalState_RecordsEndAndReason()
    {
        InMemoryRunStore store = await CreateAsync();

        Assert.False(await store.TryTransitionRunAsync(Run, RunStatus.Running, RunStatus.Failed, At, "too early"));
        Assert.True(await store.TryTransitionRunAsync(Run, RunStatus.Pending, RunStatus.Running, At, null));
        Assert.True(await store.TryTransitionRunAsync(Run, RunStatus.Running, RunStatus.Failed, At.AddMinutes(1), "step 'a' failed"));

        RunRecord? run = await store.GetRunAsync(Run);
        Assert.Equal((RunStatus.Failed, (DateTimeOffset?)At.AddMinutes(1), "step 'a' failed"), (run!.Status, run.EndedAt, run.Reason));
    }

    [Fact]
    public async Task TryStartAttempt_SameNumberTwice_SecondIsADuplicate()
    {
        InMemoryRunStore store = await CreateAsync();

        Assert.True(await store.TryStartAttemptAsync(Run, "a", 1, At));
        Assert.False(await store.TryStartAttemptAsync(Run, "a", 1, At));
        Assert.True(await store.TryStartAttemptAsync(Run, "a", 2, At));

        Assert.Equal(2, Assert.Single(await store.GetStepsAsync(Run)).Attempts);
    }

    [Fact]
    public async Task TryCompleteAttempt_NotRunning_IsALateCompletion()
    {
        InMemoryRunStore store = await CreateAsync();
        var done = new StepAttemptRecord(Run, "a", 1, At, At, AttemptOutcome.Succeeded, null, null, null);

        Assert.False(await store.TryCompleteAttemptAsync(done));
        Assert.True(await store.TryStartAttemptAsync(Run, "a", 1, At));
        Assert.True(await store.TryCompleteAttemptAsync(done));
        Assert.False(await store.TryCompleteAttemptAsync(done with { Outcome = AttemptOutcome.Failed }));

        Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(await store.GetAttemptsAsync(Run)).Outcome);
    }

    [Fact]
    public async Task MarkInterrupted_OrphanedRun_MarksRunRunningStepsAndAttempts()
    {
        InMemoryRunStore store = await CreateAsync();
        await store.TryTransitionRunAsync(Run, RunStatus.Pending, RunStatus.Running, At, null);
        await store.TryTransitionStepAsync(Run, "a", StepStatus.Pending, StepStatus.Running, At, null);
        await store.TryStartAttemptAsync(Run, "a", 1, At);

        IReadOnlyList<RunId> marked = await store.MarkInterruptedAsync(_ => true, At.AddHours(1));

        Assert.Equal([Run], marked);
        Assert.Equal(RunStatus.Interrupted, (await store.GetRunAsync(Run))!.Status);
        Assert.Equal(StepStatus.Interrupted, Assert.Single(await store.GetStepsAsync(Run)).Status);
        Assert.Equal(AttemptOutcome.Interrupted, Assert.Single(await store.GetAttemptsAsync(Run)).Outcome);
        Assert.Empty(await store.MarkInterruptedAsync(_ => true, At.AddHours(2)));
    }

    private static async Task<InMemoryRunStore> CreateAsync()
    {
        var store = new InMemoryRunStore();
        await store.CreateRunAsync(
            new RunRecord(Run, "x", RunStatus.Pending, At, null, "sluice run", "host", 1, null),
            [new StepRecord(Run, "a", 0, StepStatus.Pending, "run", "no checkpoint", 0, null, null)]);
        return store;
    }
}
