using Sluice.Definitions;
using Sluice.State;

namespace Sluice.Execution;

// StepRunner is driven through the real coordinator: the clock is advanced only once Polly has
// armed the timer for a retry delay or a timeout, so each due time is checked as it is awaited.
public class StepRunnerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(Backoff.Exponential, new[] { 1.0, 2.0, 4.0 })]
    [InlineData(Backoff.Linear, new[] { 1.0, 2.0, 3.0 })]
    [InlineData(Backoff.Constant, new[] { 1.0, 1.0, 1.0 })]
    public async Task Retry_NoJitter_WaitsTheBackoffScheduleAndRecordsEachAttempt(Backoff backoff, double[] delays)
    {
        var seenAttempts = new List<int>();
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 4; r.Backoff = backoff; r.UseJitter = false; })
            .Executes(ctx =>
            {
                seenAttempts.Add(ctx.Attempt);
                return ctx.Attempt < 4 ? throw new IOException($"disk busy ({ctx.Attempt})") : ctx.Attempt;
            }));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        foreach (double delay in delays)
        {
            await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(delay));
        }

        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal([1, 2, 3, 4], seenAttempts);
        IReadOnlyList<StepAttemptRecord> attempts = await harness.AttemptsAsync("flaky");
        Assert.Equal(
            [AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded],
            attempts.Select(a => a.Outcome));
        Assert.Equal(delays.Select(TimeSpan.FromSeconds), attempts.Zip(attempts.Skip(1), (a, b) => b.StartedAt - a.EndedAt!.Value));
        Assert.Equal(
            ("System.IO.IOException", "disk busy (2)", "transient: IOException"),
            (attempts[1].ErrorType, attempts[1].ErrorMessage, attempts[1].Reason));
        Assert.Equal(
            delays.Select((d, i) => $"attempt {i + 1} of 4 failed; next in {d:0.0} s"),
            harness.Observer.Events.Where(e => e.Kind == RunEventKind.StepRetrying).Select(e => e.Reason));
        Assert.Equal(
            ["step.started flaky", "step.retrying flaky", "step.started flaky", "step.retrying flaky", "step.started flaky", "step.retrying flaky", "step.started flaky", "step.succeeded flaky"],
            harness.Observer.Lines.Where(l => l.StartsWith("step.", StringComparison.Ordinal)));
        Assert.Equal(4, (await harness.StepAsync("flaky")).Attempts);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Retry_ExponentialPastMaxDelay_IsCappedAtMaxDelay()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 5; r.UseJitter = false; r.MaxDelay = TimeSpan.FromSeconds(3); })
            .Executes(ctx => ctx.Attempt < 5 ? throw new IOException("busy") : 0));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        foreach (int delay in (int[])[1, 2, 3, 3])
        {
            await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(delay));
        }

        Assert.Equal(RunStatus.Succeeded, (await RunHarness.Finish(run)).Status);
    }

    [Fact]
    public async Task Retry_InjectedJitter_MakesJitteredDelaysDeterministic()
    {
        // Polly's constant backoff with jitter spreads the delay over ±25%; a source stuck at 0 gives the low end.
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 3; r.Backoff = Backoff.Constant; r.Delay = TimeSpan.FromSeconds(4); })
            .Executes(ctx => ctx.Attempt < 3 ? throw new IOException("busy") : 0));
        var harness = new RunHarness();
        harness.Options.Jitter = () => 0.0;

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(3));
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(RunStatus.Succeeded, (await RunHarness.Finish(run)).Status);
    }

    [Fact]
    public async Task Retry_EveryAttemptFails_StepFailsAfterTheLastWithItsError()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 3; r.UseJitter = false; })
            .Executes(ctx => ctx.Attempt > 0 ? throw new IOException($"busy {ctx.Attempt}") : 0));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(Second);
        await harness.Clock.AdvanceWhenArmedAsync(2 * Second);
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        RunEvent failed = await harness.Observer.WaitForAsync(RunEventKind.StepFailed, "flaky");
        Assert.Equal(
            (3, "System.IO.IOException", "busy 3", "failed after 3 of 3 attempts", (TimeSpan?)(3 * Second)),
            (failed.Attempt, failed.ErrorType, failed.ErrorMessage, failed.Reason, failed.Duration));
        Assert.Equal(3, (await harness.AttemptsAsync("flaky")).Count);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task RetryOn_ExceptionNotNamed_IsNotRetried()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("strict")
            .WithRetry(r => r.MaxAttempts = 5)
            .RetryOn<IOException>()
            .RetryOn<TimeoutException>()
            .Executes(ctx => ctx.Attempt > 0 ? throw new InvalidOperationException("bad config") : 0));
        var harness = new RunHarness();

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Failed, result.Status);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("strict"));
        Assert.Equal("not transient: InvalidOperationException", attempt.Reason);
        Assert.Equal("not transient: InvalidOperationException (never retried)", (await harness.StepAsync("strict")).Reason);
        Assert.Empty(harness.Clock.Armed);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task RetryOn_ExceptionNamed_IsRetried()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("strict")
            .WithRetry(r => { r.MaxAttempts = 5; r.UseJitter = false; })
            .RetryOn<IOException>()
            .RetryOn<TimeoutException>()
            .Executes(ctx => ctx.Attempt switch
            {
                1 => throw new TimeoutException("slow disk"),
                2 => throw new FileNotFoundException("not yet"),
                _ => 3,
            }));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(Second);
        await harness.Clock.AdvanceWhenArmedAsync(2 * Second);
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(3, (await harness.AttemptsAsync("strict")).Count);
    }

    [Fact]
    public async Task RetryWhen_PredicateRejects_StopsRetrying()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("http")
            .WithRetry(r => { r.MaxAttempts = 5; r.UseJitter = false; })
            .RetryWhen(e => e is HttpRequestException { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable })
            .Executes(ctx => ctx.Attempt == 1
                ? throw new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable)
                : throw new HttpRequestException("gone", null, System.Net.HttpStatusCode.NotFound)));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(Second);
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(["busy", "gone"], (await harness.AttemptsAsync("http")).Select(a => a.ErrorMessage));
        Assert.Equal([Second], harness.Clock.Armed);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task DataValidationException_MaxAttemptsFive_IsNeverRetried()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("clean")
            .WithRetry(r => r.MaxAttempts = 5)
            .RetryWhen(_ => true)
            .Executes(ctx => ctx.Attempt > 0 ? throw new DataValidationException("row 17: price is negative") : 0));
        var harness = new RunHarness();

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Failed, result.Status);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("clean"));
        Assert.Equal(
            (AttemptOutcome.Failed, "Sluice.Definitions.DataValidationException", "row 17: price is negative", "data validation failed (never retried)"),
            (attempt.Outcome, attempt.ErrorType, attempt.ErrorMessage, attempt.Reason));
        Assert.Equal("data validation failed (never retried)", (await harness.StepAsync("clean")).Reason);
        Assert.DoesNotContain(harness.Observer.Events, e => e.Kind == RunEventKind.StepRetrying);
        Assert.Empty(harness.Clock.Armed);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Timeout_AttemptRunsTooLong_TokenCancelledAttemptTimedOutThenRetried()
    {
        bool? firstTokenCancelled = null;
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("fetch")
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithRetry(r => { r.MaxAttempts = 2; r.UseJitter = false; })
            .Executes(async ctx =>
            {
                if (ctx.Attempt == 1)
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
                    }
                    finally
                    {
                        firstTokenCancelled = ctx.CancellationToken.IsCancellationRequested;
                    }
                }

                return ctx.Attempt;
            }));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(30));
        await harness.Clock.AdvanceWhenArmedAsync(Second);
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.True(firstTokenCancelled);
        IReadOnlyList<StepAttemptRecord> attempts = await harness.AttemptsAsync("fetch");
        Assert.Equal([AttemptOutcome.TimedOut, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome));
        Assert.Equal(
            ("TimeoutException", "The attempt ran longer than the step's timeout of 30.0 s and was cancelled.", "timed out after 30.0 s"),
            (attempts[0].ErrorType, attempts[0].ErrorMessage, attempts[0].Reason));
        Assert.Equal(TimeSpan.FromSeconds(30), attempts[0].EndedAt - attempts[0].StartedAt);
        RunEvent retrying = await harness.Observer.WaitForAsync(RunEventKind.StepRetrying, "fetch");
        Assert.Equal(("TimeoutException", "attempt 1 of 2 failed; next in 1.0 s"), (retrying.ErrorType, retrying.Reason));
        RunEvent second = harness.Observer.Events.Last(e => e.Kind == RunEventKind.StepStarted);
        Assert.Equal((2, "retry after timeout (30.0 s)"), (second.Attempt, second.Reason));
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Timeout_NoRetries_StepFailsWithTimeout()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("fetch")
            .WithTimeout(TimeSpan.FromMinutes(2))
            .Executes(ctx => Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken)));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(TimeSpan.FromMinutes(2));
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Failed, result.Status);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("fetch"));
        Assert.Equal((AttemptOutcome.TimedOut, "timed out after 2 min 0 s"), (attempt.Outcome, attempt.Reason));
        RunEvent failed = await harness.Observer.WaitForAsync(RunEventKind.StepFailed, "fetch");
        Assert.Equal(("TimeoutException", "no retries configured"), (failed.ErrorType, failed.Reason));
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Cancel_DuringRetryDelay_StepCancelledWithoutAnotherAttempt()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 3; r.UseJitter = false; r.Delay = TimeSpan.FromSeconds(10); })
            .Executes(ctx => ctx.Attempt > 0 ? throw new IOException("busy") : 0));
        var harness = new RunHarness();
        using var cts = new CancellationTokenSource();

        Task<RunResult> run = harness.StartAsync(pipeline, cancellationToken: cts.Token);
        Assert.Equal(TimeSpan.FromSeconds(10), await harness.Clock.NextTimerAsync());
        await cts.CancelAsync();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.Steps["flaky"]);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("flaky"));
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Cancel_StepWithTimeout_CountsAsCancelledNotTimedOut()
    {
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("fetch")
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithRetry(r => r.MaxAttempts = 3)
            .Executes(ctx => Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken)));
        var harness = new RunHarness();
        using var cts = new CancellationTokenSource();

        Task<RunResult> run = harness.StartAsync(pipeline, cancellationToken: cts.Token);
        Assert.Equal(TimeSpan.FromSeconds(30), await harness.Clock.NextTimerAsync());
        await cts.CancelAsync();
        RunResult result = await RunHarness.Finish(run);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        StepAttemptRecord attempt = Assert.Single(await harness.AttemptsAsync("fetch"));
        Assert.Equal((AttemptOutcome.Cancelled, "run cancelled"), (attempt.Outcome, attempt.Reason));
        Assert.DoesNotContain(harness.Observer.Events, e => e.Kind == RunEventKind.StepRetrying);
        await harness.AssertStoreMatchesAsync(result);
    }

    [Fact]
    public async Task Context_EachAttempt_SeesItsRunStepAndAttempt()
    {
        var seen = new List<(RunId, string, int)>();
        Pipeline pipeline = Pipeline.Define("x", p => p.Step("flaky")
            .WithRetry(r => { r.MaxAttempts = 2; r.UseJitter = false; })
            .Executes(ctx =>
            {
                seen.Add((ctx.RunId, ctx.Step, ctx.Attempt));
                return ctx.Attempt == 1 ? throw new IOException("busy") : 0;
            }));
        var harness = new RunHarness();

        Task<RunResult> run = harness.StartAsync(pipeline);
        await harness.Clock.AdvanceWhenArmedAsync(Second);
        await RunHarness.Finish(run);

        Assert.Equal([(harness.RunId, "flaky", 1), (harness.RunId, "flaky", 2)], seen);
    }
}
