using Xunit;

namespace Sluice.State.Contracts;

/// <summary>The behaviour every <see cref="IRunStore"/> must show; each store's test project derives one class from this.</summary>
/// <remarks>
/// Times are whole microseconds: that is the finest precision a store must keep (PostgreSQL's timestamptz).
/// Each test gets a new, empty store from <see cref="CreateStoreAsync"/>.
/// </remarks>
public abstract class RunStoreContractTests : IAsyncLifetime
{
    /// <summary>A start time with a sub-second part, so stores that drop fractions fail.</summary>
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero).AddTicks(1_234_560);

    private IRunStore? _store;

    /// <summary>Gets the store under test.</summary>
    protected IRunStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a new, empty store for one test.</summary>
    protected abstract Task<IRunStore> CreateStoreAsync();

    /// <summary>Creates the store under test.</summary>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <summary>Disposes the store under test; derived classes clean up after calling this.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }

    /// <summary>Returns <see cref="T0"/> plus whole seconds.</summary>
    protected static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    /// <summary>Returns a run record with every optional field set.</summary>
    protected static RunRecord NewRun(int n, RunStatus status = RunStatus.Running, int processId = 4242, DateTimeOffset? createdAt = null)
    {
        DateTimeOffset created = createdAt ?? At(n);
        return new RunRecord(RunId.New(created, n), "stock-forecaster", status, created, null, $"run --select model-{n}", "build-07", processId, null);
    }

    /// <summary>Returns pending steps in the given order.</summary>
    protected static StepRecord[] NewSteps(RunId run, params string[] names) =>
        [.. names.Select((name, i) => new StepRecord(run, name, i, StepStatus.Pending, "run", $"{name}: version 1 -> 2", 0, null, null))];

    /// <summary>Creates a run with pending steps and waits for it to commit.</summary>
    protected async Task<RunRecord> CreateRunAsync(int n, params string[] steps)
    {
        RunRecord run = NewRun(n);
        await Store.CreateRunAsync(run, NewSteps(run.Id, steps));
        return run;
    }

    [Fact]
    public async Task CreateRun_ThenRead_ReturnsEveryField()
    {
        RunId resumed = RunId.New(At(-100), 7);
        var run = new RunRecord(RunId.New(At(0), 0x3f9a), "stock-forecaster", RunStatus.Failed, At(0), At(90),
            "run --from clean", "build-07", 31337, "step 'model' failed", resumed);
        StepRecord[] steps =
        [
            // Attempts is 0: a step's attempt count comes from its attempt rows, which a new run has none of.
            new(run.Id, "model", 2, StepStatus.Failed, "run", "input 'clean' will change", 0, At(10), At(80)),
            new(run.Id, "ingest", 0, StepStatus.Reused, "reuse", "checkpoint 5d1f0c2a", 0, null, null),
            // A non-UTC offset: stores keep the instant, not the offset.
            new(run.Id, "clean", 1, StepStatus.Succeeded, "run", "version 1 -> 2", 0, At(5).ToOffset(TimeSpan.FromHours(2)), At(9)),
        ];
        RunRecord bare = NewRun(1, RunStatus.Pending) with { Reason = null, EndedAt = null, ResumedFrom = null };

        await Store.CreateRunAsync(run, steps);
        await Store.CreateRunAsync(bare, []);

        Assert.Equal(run, await Store.GetRunAsync(run.Id));
        Assert.Equal(bare, await Store.GetRunAsync(bare.Id));
        Assert.Equal(steps.OrderBy(s => s.Order), await Store.GetStepsAsync(run.Id));
        Assert.Empty(await Store.GetStepsAsync(bare.Id));
    }

    [Fact]
    public async Task Reads_OfUnknownRun_ReturnNothing()
    {
        await CreateRunAsync(1, "ingest");
        RunId unknown = RunId.New(At(500), 1);

        Assert.Null(await Store.GetRunAsync(unknown));
        Assert.Empty(await Store.GetStepsAsync(unknown));
        Assert.Empty(await Store.GetAttemptsAsync(unknown));
        Assert.Empty(await Store.GetEventsAsync(unknown));
    }

    [Fact]
    public async Task TryTransitionRun_WinsOnceFromExpectedState_AndSetsEndedAtWhenFinal()
    {
        RunRecord run = NewRun(1, RunStatus.Pending);
        await Store.CreateRunAsync(run, []);

        Assert.True(await Store.TryTransitionRunAsync(run.Id, RunStatus.Pending, RunStatus.Running, At(1), null));
        Assert.False(await Store.TryTransitionRunAsync(run.Id, RunStatus.Pending, RunStatus.Running, At(2), null));
        Assert.Null((await Store.GetRunAsync(run.Id))!.EndedAt);

        Assert.True(await Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Failed, At(3), "step 'model' failed"));
        Assert.False(await Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, At(4), "late"));

        Assert.Equal(run with { Status = RunStatus.Failed, EndedAt = At(3), Reason = "step 'model' failed" }, await Store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task TryTransitionRun_UnknownRun_ReturnsFalse()
    {
        Assert.False(await Store.TryTransitionRunAsync(RunId.New(At(0), 9), RunStatus.Pending, RunStatus.Running, At(1), null));
    }

    [Fact]
    public async Task TryTransition_WithoutReason_KeepsTheReasonItHad()
    {
        RunRecord run = await CreateRunAsync(1, "clean");
        StepRecord planned = (await Store.GetStepsAsync(run.Id))[0];

        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Pending, StepStatus.Running, At(1), null));
        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Running, StepStatus.Succeeded, At(2), null));
        Assert.True(await Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Cancelled, At(3), "Ctrl-C"));
        Assert.True(await Store.TryTransitionRunAsync(run.Id, RunStatus.Cancelled, RunStatus.Cancelled, At(4), null));

        Assert.Equal(planned.Reason, (await Store.GetStepsAsync(run.Id))[0].Reason);
        Assert.Equal("Ctrl-C", (await Store.GetRunAsync(run.Id))!.Reason);
    }

    [Fact]
    public async Task TryTransitionStep_WinsOnceFromExpectedState_SetsStartedAtOnceAndEndedAtWhenFinal()
    {
        RunRecord run = await CreateRunAsync(1, "ingest", "clean");

        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Pending, StepStatus.Running, At(1), null));
        Assert.False(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Pending, StepStatus.Running, At(2), null));
        // Back to pending and running again: the step started at its first start.
        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Running, StepStatus.Pending, At(3), null));
        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Pending, StepStatus.Running, At(4), null));
        Assert.True(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Running, StepStatus.Failed, At(5), "not transient: DataValidationException"));
        Assert.False(await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Running, StepStatus.Succeeded, At(6), null));
        Assert.False(await Store.TryTransitionStepAsync(run.Id, "no-such-step", StepStatus.Pending, StepStatus.Running, At(6), null));

        IReadOnlyList<StepRecord> steps = await Store.GetStepsAsync(run.Id);
        Assert.Equal(NewSteps(run.Id, "ingest", "clean")[0], steps[0]);
        Assert.Equal(
            NewSteps(run.Id, "ingest", "clean")[1] with { Status = StepStatus.Failed, Reason = "not transient: DataValidationException", StartedAt = At(1), EndedAt = At(5) },
            steps[1]);
    }

    [Fact]
    public async Task TryStartAttempt_Duplicate_ReturnsFalseAndIsCountedOnce()
    {
        RunRecord run = await CreateRunAsync(1, "ingest", "clean");

        Assert.True(await Store.TryStartAttemptAsync(run.Id, "clean", 1, At(1)));
        Assert.False(await Store.TryStartAttemptAsync(run.Id, "clean", 1, At(2)));
        Assert.True(await Store.TryStartAttemptAsync(run.Id, "clean", 2, At(3)));

        Assert.Equal([0, 2], (await Store.GetStepsAsync(run.Id)).Select(s => s.Attempts));
        Assert.Equal(
            [
                new StepAttemptRecord(run.Id, "clean", 1, At(1), null, AttemptOutcome.Running, null, null, null),
                new StepAttemptRecord(run.Id, "clean", 2, At(3), null, AttemptOutcome.Running, null, null, null),
            ],
            await Store.GetAttemptsAsync(run.Id));
    }

    [Fact]
    public async Task TryCompleteAttempt_OfAttemptNotRunning_ReturnsFalseAndChangesNothing()
    {
        RunRecord run = await CreateRunAsync(1, "model");
        await Store.TryStartAttemptAsync(run.Id, "model", 1, At(1));
        var failed = new StepAttemptRecord(run.Id, "model", 1, At(1), At(2), AttemptOutcome.TimedOut, "TimeoutRejectedException", "timed out after 00:02:00", "transient: timeout");

        Assert.True(await Store.TryCompleteAttemptAsync(failed));
        Assert.False(await Store.TryCompleteAttemptAsync(failed with { EndedAt = At(3), Outcome = AttemptOutcome.Succeeded, ErrorType = null, ErrorMessage = null, Reason = null }));
        Assert.False(await Store.TryCompleteAttemptAsync(failed with { Attempt = 2 }));

        Assert.Equal([failed], await Store.GetAttemptsAsync(run.Id));
    }

    [Fact]
    public async Task GetAttempts_OrdersByStepOrderThenAttempt()
    {
        RunRecord run = await CreateRunAsync(1, "ingest", "clean", "model");
        await Store.TryStartAttemptAsync(run.Id, "model", 2, At(9));
        await Store.TryStartAttemptAsync(run.Id, "model", 1, At(8));
        await Store.TryStartAttemptAsync(run.Id, "ingest", 1, At(7));
        await Store.TryStartAttemptAsync(run.Id, "clean", 1, At(6));

        Assert.Equal(
            [("ingest", 1), ("clean", 1), ("model", 1), ("model", 2)],
            (await Store.GetAttemptsAsync(run.Id)).Select(a => (a.Step, a.Attempt)));
    }

    [Fact]
    public async Task GetEvents_ReturnsOneRunsEventsInAppendOrderWithEveryField()
    {
        RunRecord a = await CreateRunAsync(1, "ingest");
        RunRecord b = await CreateRunAsync(2, "ingest");
        RunEvent[] ofA =
        [
            new(a.Id, At(1), RunEventKind.RunStarted),
            new(a.Id, At(2), RunEventKind.StepStarted, "ingest", 1, Reason: "version 1 -> 2"),
            new(a.Id, At(3), RunEventKind.StepRetrying, "ingest", 1, TimeSpan.FromTicks(12_345_670), "HttpRequestException", "503 Service Unavailable", "transient: retry in 2 s"),
            // Appended later with an earlier time: append order wins, not time.
            new(a.Id, At(0), RunEventKind.StepStarted, "ingest", 2),
            new(a.Id, At(5), RunEventKind.StepSucceeded, "ingest", 2, TimeSpan.FromMinutes(3)),
            new(a.Id, At(5), RunEventKind.RunSucceeded, Duration: TimeSpan.FromSeconds(4)),
        ];

        for (int i = 0; i < ofA.Length; i++)
        {
            await Store.AppendEventAsync(ofA[i]);
            await Store.AppendEventAsync(new RunEvent(b.Id, At(i), RunEventKind.StepUpstreamFailed, $"other-{i}"));
        }

        Assert.Equal(ofA, await Store.GetEventsAsync(a.Id));
        Assert.Equal(Enumerable.Range(0, ofA.Length).Select(i => $"other-{i}"), (await Store.GetEventsAsync(b.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task AppendEvents_AddsThemInOrderAfterEarlierEvents()
    {
        RunRecord run = await CreateRunAsync(1, "ingest", "clean");
        var first = new RunEvent(run.Id, At(1), RunEventKind.RunStarted, Reason: "0 of 2 steps to run, 2 to reuse");
        RunEvent[] reused =
        [
            new(run.Id, At(2), RunEventKind.StepSkipped, "ingest", Reason: "reused: checkpoint 5d1f0c2a (run 20261127-101500-3f9a)"),
            new(run.Id, At(2), RunEventKind.StepSkipped, "clean", Reason: "reused: checkpoint 0b7e11aa (run 20261127-101500-3f9a)"),
        ];

        await Store.AppendEventAsync(first);
        await Store.AppendEventsAsync(reused);
        await Store.AppendEventsAsync([]);

        Assert.Equal([first, .. reused], await Store.GetEventsAsync(run.Id));
    }

    [Fact]
    public async Task PostEvent_IsKeptInCallOrderWithAwaitedAppends_OnceFlushed()
    {
        RunRecord run = await CreateRunAsync(1, "ingest");
        RunEvent[] events =
        [
            new(run.Id, At(1), RunEventKind.RunStarted),
            new(run.Id, At(2), RunEventKind.StepStarted, "ingest", 1),
            new(run.Id, At(3), RunEventKind.StepSucceeded, "ingest", 1, TimeSpan.FromTicks(15), Reason: "output 5d1f0c2a (3 bytes)"),
            new(run.Id, At(4), RunEventKind.RunSucceeded),
        ];

        Store.PostEvent(events[0]);
        Task awaited = Store.AppendEventAsync(events[1]);
        Store.PostEvent(events[2]);
        Store.PostEvent(events[3]);
        await Store.FlushAsync();

        Assert.True(awaited.IsCompletedSuccessfully);
        Assert.Equal(events, await Store.GetEventsAsync(run.Id));
    }

    [Fact]
    public async Task CreateRun_WithAStepAlreadyReused_KeepsItsArtifact()
    {
        RunRecord run = NewRun(1, RunStatus.Pending);
        var reused = new StepRecord(run.Id, "ingest", 0, StepStatus.Reused, "reuse", "checkpoint 5d1f0c2a (run 20261127-101500-3f9a)", 0, null, At(1),
            "xxh128:5d1f0c2a00000000000000000000000a", 42);

        await Store.CreateRunAsync(run, [reused]);

        Assert.Equal([reused], await Store.GetStepsAsync(run.Id));
    }

    [Fact]
    public async Task ListRuns_ReturnsNewestFirstByCreatedTimeThenId_UpToLimit()
    {
        RunRecord r1 = NewRun(1, createdAt: At(10));
        RunRecord r2 = NewRun(2, createdAt: At(30));
        RunRecord r3 = NewRun(3, createdAt: At(20));
        // Same creation time: the larger id is listed first.
        RunRecord r4 = NewRun(4, createdAt: At(30)) with { Id = RunId.New(At(30), 0xffff) };
        RunRecord r5 = NewRun(5, createdAt: At(-5));
        foreach (RunRecord run in new[] { r1, r2, r3, r4, r5 })
        {
            await Store.CreateRunAsync(run, []);
        }

        Assert.Equal([r4, r2, r3, r1, r5], await Store.ListRunsAsync(10));
        Assert.Equal([r4, r2, r3], await Store.ListRunsAsync(3));
        Assert.Empty(await Store.ListRunsAsync(0));
    }

    [Fact]
    public async Task MarkInterrupted_MarksOnlyOrphanedUnfinishedRuns_WithTheirUnfinishedStepsAndRunningAttempts()
    {
        RunRecord orphan = NewRun(1, RunStatus.Running, processId: 111);
        RunRecord orphanPending = NewRun(2, RunStatus.Pending, processId: 111);
        RunRecord alive = NewRun(3, RunStatus.Running, processId: 222);
        RunRecord finished = NewRun(4, RunStatus.Succeeded, processId: 111) with { EndedAt = At(50) };
        foreach (RunRecord run in new[] { orphan, orphanPending, alive, finished })
        {
            await Store.CreateRunAsync(run, NewSteps(run.Id, "ingest", "clean", "model"));
            await Store.TryTransitionStepAsync(run.Id, "ingest", StepStatus.Pending, StepStatus.Running, At(60), null);
            await Store.TryStartAttemptAsync(run.Id, "ingest", 1, At(60));
            await Store.TryCompleteAttemptAsync(new StepAttemptRecord(run.Id, "ingest", 1, At(60), At(61), AttemptOutcome.Succeeded, null, null, null));
            await Store.TryTransitionStepAsync(run.Id, "ingest", StepStatus.Running, StepStatus.Succeeded, At(61), null);
            await Store.TryTransitionStepAsync(run.Id, "clean", StepStatus.Pending, StepStatus.Running, At(62), null);
            await Store.TryStartAttemptAsync(run.Id, "clean", 1, At(62));
        }

        var offered = new List<RunId>();
        IReadOnlyList<RunId> marked = await Store.MarkInterruptedAsync(r =>
        {
            offered.Add(r.Id);
            return r.ProcessId == 111;
        }, At(100));

        Assert.Equal(new[] { orphan.Id, orphanPending.Id }.Order(), marked.Order());
        Assert.Equal(new[] { orphan.Id, orphanPending.Id, alive.Id }.Order(), offered.Order());
        foreach (RunRecord run in new[] { orphan, orphanPending })
        {
            RunRecord stored = (await Store.GetRunAsync(run.Id))!;
            Assert.Equal((RunStatus.Interrupted, At(100)), (stored.Status, stored.EndedAt));
            Assert.Equal(
                [(StepStatus.Succeeded, At(61)), (StepStatus.Interrupted, At(100)), (StepStatus.Interrupted, At(100))],
                (await Store.GetStepsAsync(run.Id)).Select(s => (s.Status, s.EndedAt)));
            Assert.Equal(
                [(AttemptOutcome.Succeeded, At(61)), (AttemptOutcome.Interrupted, At(100))],
                (await Store.GetAttemptsAsync(run.Id)).Select(a => (a.Outcome, a.EndedAt)));
        }

        foreach (RunRecord run in new[] { alive, finished })
        {
            Assert.Equal(run.Status, (await Store.GetRunAsync(run.Id))!.Status);
            Assert.Equal([StepStatus.Succeeded, StepStatus.Running, StepStatus.Pending], (await Store.GetStepsAsync(run.Id)).Select(s => s.Status));
            Assert.Equal([AttemptOutcome.Succeeded, AttemptOutcome.Running], (await Store.GetAttemptsAsync(run.Id)).Select(a => a.Outcome));
        }

        // Runs already interrupted are final: a second pass finds nothing more to mark.
        Assert.Empty(await Store.MarkInterruptedAsync(r => r.ProcessId == 111, At(200)));
        Assert.Equal(At(100), (await Store.GetRunAsync(orphan.Id))!.EndedAt);
    }

    [Fact]
    public async Task UnawaitedWrites_AreAppliedInCallOrder()
    {
        string[] names = [.. Enumerable.Range(0, 300).Select(i => $"step-{i:D3}")];
        RunRecord run = await CreateRunAsync(1, names);

        // Each later transition only wins if the one before it was applied first; the third must lose.
        var results = new List<(int Step, Task<bool> Won)>();
        for (int i = 0; i < names.Length; i++)
        {
            results.Add((i, Store.TryTransitionStepAsync(run.Id, names[i], StepStatus.Pending, StepStatus.Running, At(i), null)));
            results.Add((i, Store.TryTransitionStepAsync(run.Id, names[i], StepStatus.Running, StepStatus.Succeeded, At(i + 1000), null)));
            results.Add((i, Store.TryTransitionStepAsync(run.Id, names[i], StepStatus.Running, StepStatus.Failed, At(i + 2000), "too late")));
            if (i < 100)
            {
                results.Add((i, Store.TryTransitionStepAsync(run.Id, names[i], StepStatus.Succeeded, StepStatus.Cancelled, At(i + 3000), "cancelled after")));
            }
        }

        Assert.Equal(1000, results.Count);
        bool[] won = await Task.WhenAll(results.Select(r => r.Won));
        bool[] expected = [.. Enumerable.Range(0, 300).SelectMany(i => i < 100 ? new[] { true, true, false, true } : [true, true, false])];
        Assert.Equal(expected, won);

        IReadOnlyList<StepRecord> steps = await Store.GetStepsAsync(run.Id);
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(
                i < 100 ? (StepStatus.Cancelled, At(i), At(i + 3000)) : (StepStatus.Succeeded, At(i), At(i + 1000)),
                (steps[i].Status, steps[i].StartedAt, steps[i].EndedAt));
        }
    }

    [Fact]
    public async Task UnawaitedWrites_AreVisibleToReadsAndCompleteByFlush()
    {
        // Enough writes that a store which read without waiting for its queue would see only part of them.
        const int Events = 2000;
        RunRecord run = NewRun(1, RunStatus.Pending);
        var writes = new List<Task> { Store.CreateRunAsync(run, NewSteps(run.Id, "ingest")) };
        for (int i = 0; i < Events; i++)
        {
            writes.Add(Store.AppendEventAsync(new RunEvent(run.Id, At(i), RunEventKind.StepRetrying, "ingest", i + 1)));
        }

        writes.Add(Store.TryTransitionRunAsync(run.Id, RunStatus.Pending, RunStatus.Running, At(1), null));
        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(run.Id))!.Status);
        Assert.Equal(Events, (await Store.GetEventsAsync(run.Id)).Count);

        for (int i = 0; i < Events; i++)
        {
            writes.Add(Store.AppendEventAsync(new RunEvent(run.Id, At(i), RunEventKind.StepRetrying, "ingest", i + 1)));
        }

        Task<bool> end = Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, At(2), null);
        writes.Add(end);
        await Store.FlushAsync();
        Assert.All(writes, t => Assert.Equal(TaskStatus.RanToCompletion, t.Status));
        Assert.True(await end);
    }

    [Fact]
    public async Task ConcurrentWriters_LoseNothing()
    {
        const int Writers = 16;
        const int EventsEach = 200;
        string[] names = [.. Enumerable.Range(0, Writers).Select(w => $"writer-{w:D2}")];
        RunRecord run = await CreateRunAsync(1, names);
        RunRecord contested = NewRun(2, RunStatus.Pending);
        await Store.CreateRunAsync(contested, []);

        bool[] wonRace = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            Task<bool> race = Store.TryTransitionRunAsync(contested.Id, RunStatus.Pending, RunStatus.Running, At(w), $"won by {w}");
            var pending = new List<Task> { Store.TryTransitionStepAsync(run.Id, names[w], StepStatus.Pending, StepStatus.Running, At(w), null) };
            for (int i = 0; i < EventsEach; i++)
            {
                pending.Add(Store.AppendEventAsync(new RunEvent(run.Id, At(i), RunEventKind.StepRetrying, names[w], i + 1)));
                if (i % 50 == 49)
                {
                    await Task.Yield();
                }
            }

            pending.Add(Store.TryStartAttemptAsync(run.Id, names[w], 1, At(w)));
            await Task.WhenAll(pending);
            return await race;
        })));

        Assert.Equal(1, wonRace.Count(won => won));
        Assert.Equal($"won by {Array.IndexOf(wonRace, true)}", (await Store.GetRunAsync(contested.Id))!.Reason);
        IReadOnlyList<RunEvent> events = await Store.GetEventsAsync(run.Id);
        Assert.Equal(Writers * EventsEach, events.Count);
        foreach (string name in names)
        {
            // Each writer's own events keep its call order.
            Assert.Equal(Enumerable.Range(1, EventsEach), events.Where(e => e.Step == name).Select(e => e.Attempt!.Value));
        }

        Assert.All(await Store.GetStepsAsync(run.Id), s => Assert.Equal((StepStatus.Running, 1), (s.Status, s.Attempts)));
    }

    [Fact]
    public async Task CreateRun_WithDuplicateId_FailsOnlyThatCall()
    {
        RunRecord run = await CreateRunAsync(1, "ingest");

        // Issued together, so a store that groups writes has them in one batch.
        Task duplicate = Store.CreateRunAsync(run with { Pipeline = "other" }, NewSteps(run.Id, "other-step"));
        Task<bool> next = Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, At(9), null);
        Task<bool> start = Store.TryStartAttemptAsync(run.Id, "ingest", 1, At(9));

        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        Assert.True(await next);
        Assert.True(await start);
        Assert.Equal(run with { Status = RunStatus.Succeeded, EndedAt = At(9) }, await Store.GetRunAsync(run.Id));
        Assert.Equal(["ingest"], (await Store.GetStepsAsync(run.Id)).Select(s => s.Step));
    }

    [Fact]
    public async Task CreateRun_WithDuplicateStepNames_LeavesNoTraceOfTheRun()
    {
        RunRecord run = NewRun(1);
        StepRecord[] steps = [.. NewSteps(run.Id, "ingest", "clean"), NewSteps(run.Id, "ingest")[0] with { Order = 2 }];

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateRunAsync(run, steps));

        Assert.Null(await Store.GetRunAsync(run.Id));
        Assert.Empty(await Store.GetStepsAsync(run.Id));
        Assert.Empty(await Store.ListRunsAsync(10));
    }
}
