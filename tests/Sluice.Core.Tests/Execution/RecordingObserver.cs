using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>Records every event a run reports, and lets a test wait for one without sleeping.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    private readonly Lock _gate = new();
    private readonly List<RunEvent> _events = [];
    private readonly List<(Func<RunEvent, bool> Match, TaskCompletionSource<RunEvent> Seen)> _waiters = [];

    /// <summary>Gets a copy of the events so far, in the order they were reported.</summary>
    public IReadOnlyList<RunEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Gets the events so far as <c>kind step</c> lines, such as <c>step.started a</c>.</summary>
    public IReadOnlyList<string> Lines => [.. Events.Select(e => e.Step is null ? e.Kind.ToText() : $"{e.Kind.ToText()} {e.Step}")];

    public void OnEvent(RunEvent runEvent)
    {
        lock (_gate)
        {
            _events.Add(runEvent);
            foreach (var waiter in _waiters.Where(w => w.Match(runEvent)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(runEvent);
            }
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => NullLogger.Instance;

    /// <summary>Completes with the first event, past or future, of the given kind for the given step.</summary>
    public Task<RunEvent> WaitForAsync(RunEventKind kind, string? step = null) =>
        WaitForAsync(e => e.Kind == kind && (step is null || e.Step == step));

    /// <summary>Completes with the first event, past or future, that matches.</summary>
    public Task<RunEvent> WaitForAsync(Func<RunEvent, bool> match)
    {
        lock (_gate)
        {
            RunEvent? seen = _events.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<RunEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(Watchdog.Limit);
        }
    }
}
