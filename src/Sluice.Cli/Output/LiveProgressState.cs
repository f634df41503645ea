using Sluice.Planning;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>The live view's model: records run events under a lock (the coordinator's threads call it) and hands out snapshots to draw.</summary>
/// <remarks>Every operation is O(1) per event and O(rows) per snapshot, so a 10,000-step run costs the same per frame as a 5-step one.</remarks>
internal sealed class LiveProgressState
{
    private const string ReusedPrefix = "reused: ";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _steps = new(StringComparer.Ordinal);
    private readonly List<Entry> _considered = [];
    private readonly List<Entry> _active = [];
    private readonly Queue<Entry> _recent = new();
    private readonly List<Entry> _failed = [];
    private readonly Queue<RunEvent> _failuresToPrint = new();
    private readonly int[] _counts = new int[Enum.GetValues<LiveStepState>().Length];
    private readonly int _maxRows;
    private RunId? _runId;
    private DateTimeOffset? _runStarted;
    private RunEvent? _end;

    /// <summary>Creates the model of a run of <paramref name="plan"/>; every step it considers starts waiting.</summary>
    /// <param name="plan">The plan being run.</param>
    /// <param name="time">The clock that makes running steps' elapsed time tick.</param>
    /// <param name="maxRows">How many step rows a snapshot holds at most.</param>
    public LiveProgressState(ExecutionPlan plan, TimeProvider time, int maxRows)
    {
        _time = time;
        _maxRows = maxRows;
        foreach (PlannedStep planned in plan.Steps)
        {
            var entry = new Entry(planned.Step.Name, Math.Max(1, planned.Step.Retry.MaxAttempts), planned.Decision == StepDecision.Skip ? LiveStepState.Skipped : LiveStepState.Waiting);
            _steps[entry.Name] = entry;
            _counts[(int)entry.State]++;
            if (entry.State != LiveStepState.Skipped)
            {
                _considered.Add(entry);
            }
        }
    }

    /// <summary>Gets how many finished steps the tail view keeps to show.</summary>
    public int RecentCapacity => _maxRows;

    /// <summary>Records one event; quick, because the coordinator waits for it.</summary>
    public void Record(RunEvent e)
    {
        lock (_gate)
        {
            switch (e.Kind)
            {
                case RunEventKind.RunStarted:
                    _runId = e.RunId;
                    _runStarted = e.At;
                    return;
                case RunEventKind.RunSucceeded or RunEventKind.RunFailed or RunEventKind.RunCancelled:
                    _runId = e.RunId;
                    _end = e;
                    return;
            }

            if (e.Step is null)
            {
                return;
            }

            Entry entry = Find(e.Step);
            switch (e.Kind)
            {
                case RunEventKind.StepStarted:
                    entry.Attempt = e.Attempt ?? entry.Attempt + 1;
                    entry.StartedAt ??= e.At;
                    entry.Note = e.Reason;
                    Move(entry, LiveStepState.Running);
                    break;
                case RunEventKind.StepRetrying:
                    entry.Attempt = e.Attempt ?? entry.Attempt;
                    entry.Note = $"{e.Reason}: {ShortType(e.ErrorType)}: {Formats.OneLine(e.ErrorMessage)}";
                    Move(entry, LiveStepState.Retrying);
                    break;
                case RunEventKind.StepSucceeded:
                    Finish(entry, LiveStepState.Succeeded, e, null);
                    break;
                case RunEventKind.StepFailed:
                    Finish(entry, LiveStepState.Failed, e, $"{ShortType(e.ErrorType)}: {Formats.OneLine(e.ErrorMessage)}");
                    _failed.Add(entry);
                    _failuresToPrint.Enqueue(e);
                    break;
                case RunEventKind.StepSkipped when e.Reason?.StartsWith(ReusedPrefix, StringComparison.Ordinal) == true:
                    Finish(entry, LiveStepState.Reused, e, e.Reason[ReusedPrefix.Length..]);
                    break;
                case RunEventKind.StepSkipped:
                    entry.Note = e.Reason;
                    Move(entry, LiveStepState.Skipped);
                    break;
                case RunEventKind.StepUpstreamFailed:
                    Finish(entry, LiveStepState.NotRun, e, e.Reason);
                    break;
                case RunEventKind.StepCancelled:
                    Finish(entry, LiveStepState.Cancelled, e, e.Reason);
                    break;
            }
        }
    }

    /// <summary>Takes the failures recorded since the last call, to print above the live view where they stay in the scrollback.</summary>
    public IReadOnlyList<RunEvent> TakeFailures()
    {
        lock (_gate)
        {
            if (_failuresToPrint.Count == 0)
            {
                return [];
            }

            RunEvent[] taken = [.. _failuresToPrint];
            _failuresToPrint.Clear();
            return taken;
        }
    }

    /// <summary>Returns the state now: counts, and the rows to draw (all steps of a small run, else the tail).</summary>
    public LiveProgressSnapshot Snapshot()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            TimeSpan elapsed = _end?.Duration ?? (_runStarted is { } started ? now - started : TimeSpan.Zero);
            bool all = _considered.Count <= _maxRows;
            var rows = new List<LiveProgressRow>(Math.Min(_maxRows, _considered.Count));
            if (all)
            {
                foreach (Entry entry in _considered)
                {
                    rows.Add(entry.Row(now));
                }
            }
            else
            {
                AddTail(rows, now);
            }

            return new LiveProgressSnapshot(_runId, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, _considered.Count, [.. _counts], rows, all, _end);
        }
    }

    /// <summary>Returns every failed step's row, oldest first, for the final summary of a large run.</summary>
    public IReadOnlyList<LiveProgressRow> FailedRows(int max)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _failed.Take(max).Select(f => f.Row(now))];
        }
    }

    // Running steps come first in the budget (they are what is happening), then failures (what needs attention), then
    // recent finishes (that things move); they are drawn oldest first with the running ones last, like a log's tail.
    private void AddTail(List<LiveProgressRow> rows, DateTimeOffset now)
    {
        int running = Math.Min(_active.Count, _maxRows);
        var shownRecent = new HashSet<Entry>(_recent);
        int failureRows = Math.Min(_maxRows - running, Math.Max(1, _maxRows / 3));
        var olderFailures = new List<Entry>(failureRows);
        for (int i = _failed.Count - 1; i >= 0 && olderFailures.Count < failureRows; i--)
        {
            if (!shownRecent.Contains(_failed[i]))
            {
                olderFailures.Insert(0, _failed[i]);
            }
        }

        int recent = Math.Min(_recent.Count, _maxRows - running - olderFailures.Count);
        foreach (Entry entry in olderFailures)
        {
            rows.Add(entry.Row(now));
        }

        foreach (Entry entry in _recent.Skip(_recent.Count - recent))
        {
            rows.Add(entry.Row(now));
        }

        for (int i = 0; i < running; i++)
        {
            rows.Add(_active[i].Row(now));
        }
    }

    private Entry Find(string step)
    {
        if (!_steps.TryGetValue(step, out Entry? entry))
        {
            // A step the plan did not name (none should exist): shown rather than dropped.
            entry = new Entry(step, 1, LiveStepState.Waiting);
            _steps[step] = entry;
            _considered.Add(entry);
            _counts[(int)entry.State]++;
        }

        return entry;
    }

    private void Finish(Entry entry, LiveStepState state, RunEvent e, string? note)
    {
        entry.Attempt = e.Attempt ?? entry.Attempt;
        entry.Duration = e.Duration ?? (entry.StartedAt is { } started ? e.At - started : null);
        entry.Note = note;
        Move(entry, state);
        _recent.Enqueue(entry);
        if (_recent.Count > RecentCapacity)
        {
            _recent.Dequeue();
        }
    }

    private void Move(Entry entry, LiveStepState state)
    {
        bool wasActive = entry.State is LiveStepState.Running or LiveStepState.Retrying;
        bool isActive = state is LiveStepState.Running or LiveStepState.Retrying;
        _counts[(int)entry.State]--;
        _counts[(int)state]++;
        entry.State = state;
        if (isActive && !wasActive)
        {
            _active.Add(entry);
        }
        else if (wasActive && !isActive)
        {
            _active.Remove(entry);
        }
    }

    private static string ShortType(string? type) => type is null ? "error" : type[(type.LastIndexOf('.') + 1)..];

    /// <summary>One step's mutable state; only touched under the model's lock.</summary>
    private sealed class Entry(string name, int maxAttempts, LiveStepState state)
    {
        public string Name { get; } = name;

        public int MaxAttempts { get; } = maxAttempts;

        public LiveStepState State { get; set; } = state;

        public int Attempt { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public TimeSpan? Duration { get; set; }

        public string? Note { get; set; }

        public LiveProgressRow Row(DateTimeOffset now)
        {
            TimeSpan? elapsed = State is LiveStepState.Running or LiveStepState.Retrying && StartedAt is { } started
                ? now - started
                : Duration;
            return new LiveProgressRow(Name, State, Attempt, MaxAttempts, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, Note);
        }
    }
}
