using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sluice.Definitions;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Runs one step's attempts through its retry and timeout policy, recording each attempt.</summary>
internal sealed class StepRunner(RunJournal journal, RunOptions options, Telemetry.RunTelemetry telemetry, string pipelineName = "")
{
    private static readonly IServiceProvider NoServices = new EmptyServices();

    public async Task<StepOutcome> RunAsync(StepWork work, CancellationToken runCancelled)
    {
        StepDefinition step = work.Step;
        TimeProvider time = journal.Time;
        long started = time.GetTimestamp();
        int attempt = 0;
        string? retryNote = null;

        async ValueTask<object?> Attempt(CancellationToken token)
        {
            attempt++;
            DateTimeOffset at = journal.Now;
            if (attempt == 1)
            {
                journal.TransitionStep(work.RunId, step.Name, StepStatus.Pending, StepStatus.Running, null);
            }

            journal.StartAttempt(work.RunId, step.Name, attempt, at);
            journal.Emit(new RunEvent(work.RunId, at, RunEventKind.StepStarted, step.Name, attempt, Reason: retryNote));
            using Telemetry.AttemptTelemetry traced = telemetry.StartAttempt(step.Name, attempt);
            try
            {
                ILogger logger = journal.CreateStepLogger(work.RunId, step.Name, attempt);
                var context = new StepContext(work.RunId, step.Name, attempt, logger, options.Services ?? NoServices, time, options.ProjectDirectory, token) {
                    Metrics = traced.Metrics,
                    Alerts = new Alerts.StepAlerts(options.Alerts, pipelineName, work.RunId, step.Name, time, logger),
                    Slot = work.Slot,
                };
                object? value;
                StepContext.Current = context;
                if (step.Command is null)
                {
                    // User code may block or run long: what this thread left for its next wait (the run store's
                    // writer) is woken before it, not after. A command step's program wakes it once started.
                    LaneThreads.WakeDeferred();
                }

                try
                {
                    value = await step.Invoke(step.Work, context, work.Inputs).ConfigureAwait(false);
                }
                finally
                {
                    StepContext.Current = null;
                }

                journal.CompleteAttempt(new StepAttemptRecord(
                    work.RunId, step.Name, attempt, at, journal.Now, AttemptOutcome.Succeeded, null, null, null));
                traced.Ended(AttemptOutcome.Succeeded, null);
                return value;
            }
            catch (Exception e)
            {
                (AttemptOutcome outcome, string reason) = Classify(e, step, token, runCancelled);
                journal.CompleteAttempt(new StepAttemptRecord(
                    work.RunId, step.Name, attempt, at, journal.Now, outcome, ErrorType(e, outcome), ErrorMessage(e, outcome, step), reason));
                traced.Ended(outcome, e);
                throw;
            }
        }

        // The retry callback is made only for a step with a policy: most steps have none, and it is a delegate per step.
        ResiliencePipeline pipeline = !NeedsPolicy(step) ? ResiliencePipeline.Empty : BuildPolicy(step, time, (delay, ex) =>
        {
            retryNote = $"retry after {Describe(ex, step)}";
            journal.Emit(new RunEvent(
                work.RunId, journal.Now, RunEventKind.StepRetrying, step.Name, attempt,
                ErrorType: ErrorType(ex, null), ErrorMessage: ErrorMessage(ex, null, step),
                Reason: $"attempt {attempt} of {step.Retry.MaxAttempts} failed; next in {Format(delay)}"));

            // An attempt that gave its place back (its program had exited) takes one again before the backoff, so the
            // next attempt counts against the limit like any step, and the wait is not charged to its timeout.
            return work.Slot?.AcquireAsync(runCancelled) ?? default;
        }, runCancelled);

        try
        {
            // Most steps have neither retries nor a timeout: call the attempt directly and skip the policy's bookkeeping.
            object? value = ReferenceEquals(pipeline, ResiliencePipeline.Empty)
                ? await Attempt(runCancelled).ConfigureAwait(false)
                : await pipeline.ExecuteAsync(Attempt, runCancelled).ConfigureAwait(false);
            Artifacts.ArtifactRef? artifact = null;
            if (options.Checkpointing is null || work.Fingerprint is null)
            {
                // No commit to wait in: a command step's outputs must still be published before a later step starts.
                await CommandStep.Published(value).ConfigureAwait(false);
            }

            if (options.Checkpointing is { } checkpointing && work.Fingerprint is { } fingerprint)
            {
                try
                {
                    artifact = await checkpointing.CommitAsync(step, fingerprint, value, work.RunId, runCancelled).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The work is done but cannot be kept: the step fails, so nothing downstream uses an output that is not durable.
                    TimeSpan failedAfter = time.GetElapsedTime(started);
                    string why = e is Secrets.SecretLeakException ? "output refused: it shows a secret (never retried)" : $"could not store its output: {e.GetType().Name}";
                    journal.TransitionStep(work.RunId, step.Name, StepStatus.Running, StepStatus.Failed, why);
                    journal.Emit(new RunEvent(work.RunId, journal.Now, RunEventKind.StepFailed, step.Name, attempt, failedAfter, ErrorType(e, null), e.Message, why));
                    Alerts.EngineAlerts.StepFailed(options.Alerts, pipelineName, work.RunId, step.Name, attempt, ErrorType(e, null), e.Message, why, journal.Now);
                    return new StepOutcome(StepStatus.Failed, null, attempt, failedAfter, ErrorType(e, null), e.Message, why);
                }
            }

            if (artifact is { } output)
            {
                journal.RecordOutput(work.RunId, step.Name, output);
                telemetry.ArtifactStored(step.Name, attempt, output, step.PublishPath is not null);
            }

            TimeSpan duration = time.GetElapsedTime(started);
            journal.TransitionStep(work.RunId, step.Name, StepStatus.Running, StepStatus.Succeeded, null);
            journal.Emit(new RunEvent(work.RunId, journal.Now, RunEventKind.StepSucceeded, step.Name, attempt, duration,
                Reason: artifact is { } stored ? $"output {stored.Hash.ShortHex} ({stored.Length} bytes)" : null));
            return new StepOutcome(StepStatus.Succeeded, value, attempt, duration, Artifact: artifact);
        }
        catch (Exception e)
        {
            TimeSpan duration = time.GetElapsedTime(started);
            if (runCancelled.IsCancellationRequested && e is OperationCanceledException)
            {
                const string why = "run cancelled";
                journal.TransitionStep(work.RunId, step.Name, attempt == 0 ? StepStatus.Pending : StepStatus.Running, StepStatus.Cancelled, why);
                journal.Emit(new RunEvent(work.RunId, journal.Now, RunEventKind.StepCancelled, step.Name, attempt, duration, Reason: why));
                return new StepOutcome(StepStatus.Cancelled, null, attempt, duration, Reason: why);
            }

            string reason = e is DataValidationException
                ? "data validation failed (never retried)"
                : step.Retry.MaxAttempts == 1 ? "no retries configured"
                : IsTransient(e, step) ? $"failed after {attempt} of {step.Retry.MaxAttempts} attempts"
                : $"not transient: {e.GetType().Name} (never retried)";
            journal.TransitionStep(work.RunId, step.Name, StepStatus.Running, StepStatus.Failed, reason);
            journal.Emit(new RunEvent(
                work.RunId, journal.Now, RunEventKind.StepFailed, step.Name, attempt, duration,
                ErrorType(e, null), ErrorMessage(e, null, step), reason));
            Alerts.EngineAlerts.StepFailed(options.Alerts, pipelineName, work.RunId, step.Name, attempt, ErrorType(e, null), ErrorMessage(e, null, step), reason, journal.Now);
            return new StepOutcome(StepStatus.Failed, null, attempt, duration, ErrorType(e, null), ErrorMessage(e, null, step), reason);
        }
    }

    private static bool NeedsPolicy(StepDefinition step) => step.Retry.MaxAttempts > 1 || step.Timeout is not null;

    private ResiliencePipeline BuildPolicy(StepDefinition step, TimeProvider time, Func<TimeSpan, Exception, ValueTask> onRetry, CancellationToken runCancelled)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (step.Retry.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = step.Retry.MaxAttempts - 1,
                BackoffType = step.Retry.Backoff switch
                {
                    Backoff.Constant => DelayBackoffType.Constant,
                    Backoff.Linear => DelayBackoffType.Linear,
                    _ => DelayBackoffType.Exponential,
                },
                Delay = step.Retry.Delay,
                MaxDelay = step.Retry.MaxDelay,
                UseJitter = step.Retry.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !(runCancelled.IsCancellationRequested && e is OperationCanceledException) && IsTransient(e, step)),
                OnRetry = args => onRetry(args.RetryDelay, args.Outcome.Exception!),
            };
            if (options.Jitter is { } jitter)
            {
                retry.Randomizer = jitter;
            }

            builder.AddRetry(retry);
        }

        if (step.Timeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }

    private static bool IsTransient(Exception e, StepDefinition step) => e switch
    {
        DataValidationException => false,
        TimeoutRejectedException => true,
        _ => step.IsTransient?.Invoke(e) ?? true,
    };

    private static (AttemptOutcome Outcome, string Reason) Classify(Exception e, StepDefinition step, CancellationToken attemptToken, CancellationToken runCancelled)
    {
        if (e is OperationCanceledException && runCancelled.IsCancellationRequested)
        {
            return (AttemptOutcome.Cancelled, "run cancelled");
        }

        if (e is OperationCanceledException && attemptToken.IsCancellationRequested && step.Timeout is { } timeout)
        {
            return (AttemptOutcome.TimedOut, $"timed out after {Format(timeout)}");
        }

        return (AttemptOutcome.Failed, e is DataValidationException
            ? "data validation failed (never retried)"
            : IsTransient(e, step) ? $"transient: {e.GetType().Name}" : $"not transient: {e.GetType().Name}");
    }

    private static string ErrorType(Exception e, AttemptOutcome? outcome) =>
        outcome == AttemptOutcome.TimedOut || e is TimeoutRejectedException ? nameof(TimeoutException) : e.GetType().FullName ?? e.GetType().Name;

    private static string ErrorMessage(Exception e, AttemptOutcome? outcome, StepDefinition step) =>
        outcome == AttemptOutcome.TimedOut || e is TimeoutRejectedException
            ? $"The attempt ran longer than the step's timeout of {Format(step.Timeout ?? TimeSpan.Zero)} and was cancelled."
            : e.Message;

    private static string Describe(Exception e, StepDefinition step) =>
        e is TimeoutRejectedException ? $"timeout ({Format(step.Timeout ?? TimeSpan.Zero)})" : e.GetType().Name;

    internal static string Format(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0.0} s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : $"{(int)t.TotalHours} h {t.Minutes} min";

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
