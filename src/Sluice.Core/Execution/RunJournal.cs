using Microsoft.Extensions.Logging;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Records a run's state changes in the store and tells the observers, without waiting for each write.</summary>
/// <remarks>
/// The store applies writes in call order, so what it holds is always a prefix of the run's history;
/// a crash loses at most a suffix, which the next run treats as never done. Compare-and-set results are
/// checked together at the end: a lost one means another process wrote to this run, an infrastructure error.
/// Every error text and reason is redacted here, once, before the store or any observer sees it.
/// </remarks>
internal sealed class RunJournal(IRunStore store, IReadOnlyList<IRunObserver> observers, TimeProvider time, SecretRedactor? secrets = null)
{
    private readonly SecretRedactor _secrets = secrets ?? SecretRedactor.None;

    // Writes not yet known to have won, in call order; those that won are dropped from the front as they complete, so
    // a long run does not keep every write's task (a large, long-lived list the GC would copy and scan) until the end.
    private readonly Queue<Tracked> _pending = new();
    private readonly List<Tracked> _settled = [];
    private readonly Lock _gate = new();

    public TimeProvider Time => time;

    public DateTimeOffset Now => time.GetUtcNow();

    public void Emit(RunEvent runEvent)
    {
        runEvent = Clean(runEvent);
        store.PostEvent(runEvent);
        // Indexed: a foreach over the IReadOnlyList would make an enumerator object per event.
        for (int i = 0; i < observers.Count; i++)
        {
            try
            {
                observers[i].OnEvent(runEvent);
            }
            catch (Exception)
            {
                // A failing sink never fails a run; the event is still in the store.
            }
        }
    }

    /// <summary>Emits events in order with one store write for all of them.</summary>
    public void EmitAll(IReadOnlyList<RunEvent> runEvents)
    {
        if (runEvents.Count == 0)
        {
            return;
        }

        if (!_secrets.IsEmpty)
        {
            runEvents = [.. runEvents.Select(Clean)];
        }

        _ = store.AppendEventsAsync(runEvents);
        for (int e = 0; e < runEvents.Count; e++)
        {
            RunEvent runEvent = runEvents[e];
            for (int i = 0; i < observers.Count; i++)
            {
                try
                {
                    observers[i].OnEvent(runEvent);
                }
                catch (Exception)
                {
                    // A failing sink never fails a run; the event is still in the store.
                }
            }
        }
    }

    public void TransitionStep(RunId run, string step, StepStatus expected, StepStatus next, string? reason) =>
        Track(new Tracked(store.TryTransitionStepAsync(run, step, expected, next, Now, _secrets.RedactOrNull(reason)), TrackedKind.Step, step, (int)expected, (int)next));

    public void TransitionRun(RunId run, RunStatus expected, RunStatus next, string? reason) =>
        Track(new Tracked(store.TryTransitionRunAsync(run, expected, next, Now, _secrets.RedactOrNull(reason)), TrackedKind.Run, null, (int)expected, (int)next));

    public void RecordOutput(RunId run, string step, Artifacts.ArtifactRef artifact) =>
        _ = store.RecordStepOutputAsync(run, step, artifact.Hash.ToString(), artifact.Length);

    public void StartAttempt(RunId run, string step, int attempt, DateTimeOffset at) =>
        Track(new Tracked(store.TryStartAttemptAsync(run, step, attempt, at), TrackedKind.AttemptStart, step, attempt, 0));

    public void CompleteAttempt(StepAttemptRecord attempt) =>
        Track(new Tracked(store.TryCompleteAttemptAsync(_secrets.IsEmpty ? attempt : attempt with
        {
            ErrorType = _secrets.RedactOrNull(attempt.ErrorType),
            ErrorMessage = _secrets.RedactOrNull(attempt.ErrorMessage),
            Reason = _secrets.RedactOrNull(attempt.Reason),
        }), TrackedKind.AttemptEnd, attempt.Step, attempt.Attempt, 0));

    public ILogger CreateStepLogger(RunId run, string step, int attempt)
    {
        if (observers.Count == 0)
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }

        // Redacted before the fan-out, so every sink gets clean messages, properties and exception text.
        return RedactingLogger.Wrap(observers.Count == 1
            ? observers[0].CreateStepLogger(run, step, attempt)
            : new FanOutLogger([.. observers.Select(o => o.CreateStepLogger(run, step, attempt))]), _secrets);
    }

    /// <summary>Waits for every write and throws if a compare-and-set was lost.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await store.FlushAsync(cancellationToken).ConfigureAwait(false);
        Tracked[] writes;
        lock (_gate)
        {
            writes = [.. _settled, .. _pending];
            _settled.Clear();
            _pending.Clear();
        }

        var lost = new List<string>();
        foreach (Tracked write in writes)
        {
            if (!await write.Write.ConfigureAwait(false))
            {
                lost.Add(write.Describe());
            }
        }

        if (lost.Count > 0)
        {
            throw new RunStoreConflictException(
                $"The run store changed under this run ({lost.Count} state change(s) lost, first: {lost[0]}). Another process may be writing to the same run.");
        }
    }

    private RunEvent Clean(RunEvent e)
    {
        if (_secrets.IsEmpty)
        {
            return e;
        }

        string? type = _secrets.RedactOrNull(e.ErrorType);
        string? message = _secrets.RedactOrNull(e.ErrorMessage);
        string? reason = _secrets.RedactOrNull(e.Reason);
        return ReferenceEquals(type, e.ErrorType) && ReferenceEquals(message, e.ErrorMessage) && ReferenceEquals(reason, e.Reason)
            ? e
            : e with { ErrorType = type, ErrorMessage = message, Reason = reason };
    }

    private void Track(Tracked write)
    {
        if (write.Write.IsCompletedSuccessfully && write.Write.Result)
        {
            // Already won: nothing left to check at the end.
            return;
        }

        lock (_gate)
        {
            while (_pending.TryPeek(out Tracked first) && first.Write.IsCompleted)
            {
                _pending.Dequeue();
                if (!first.Write.IsCompletedSuccessfully || !first.Write.Result)
                {
                    // Lost or failed: looked at in CompleteAsync, in call order with the rest.
                    _settled.Add(first);
                }
            }

            _pending.Enqueue(write);
        }
    }

    private enum TrackedKind : byte
    {
        Step,
        Run,
        AttemptStart,
        AttemptEnd,
    }

    /// <summary>A compare-and-set write whose result is checked at the end; its description is built only if it lost.</summary>
    private readonly record struct Tracked(Task<bool> Write, TrackedKind Kind, string? Step, int A, int B)
    {
        public string Describe() => Kind switch
        {
            TrackedKind.Step => $"step '{Step}' {((StepStatus)A).ToText()} -> {((StepStatus)B).ToText()}",
            TrackedKind.Run => $"run {((RunStatus)A).ToText()} -> {((RunStatus)B).ToText()}",
            TrackedKind.AttemptStart => $"start of attempt {A} of '{Step}'",
            _ => $"end of attempt {A} of '{Step}'",
        };
    }

    private sealed class FanOutLogger(ILogger[] loggers) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => loggers.Any(l => l.IsEnabled(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            foreach (ILogger logger in loggers)
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
