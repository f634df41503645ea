using System.Runtime.InteropServices;
using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>Applies a run of mergeable commands from one batch with fewer statements than one per call, with the same results.</summary>
/// <remarks>
/// <para>
/// A no-op step makes seven writes (two transitions, an attempt's start and completion, two events, and its row at
/// creation), and the writer thread, at a few microseconds of SQLite per statement, sets the pace of a large run. Within
/// one transaction nobody else sees the order of writes to different rows, so the commands of a segment are applied by
/// table: each step's chain of transitions as one compare-and-set UPDATE, an attempt's start and completion as one
/// INSERT of the finished row, and the events in multi-row INSERTs, in call order. The tables touched here are written
/// by no other command of the segment (the writer ends a segment at any other command), so applying them by table
/// changes nothing but the statement count.
/// </para>
/// <para>
/// Compare-and-set stays exact: a folded chain <c>pending -> running -> succeeded</c> is one UPDATE guarded by
/// <c>status = 'pending'</c>; if it changes no row, the first transition lost and changed nothing, and the rest are
/// tried against what the row really holds, as they would have been. A merged statement that fails on the caller's
/// input (a constraint) is undone by SQLite alone, so its commands are then applied one by one through the writer's
/// usual path, and only the offending call fails.
/// </para>
/// </remarks>
internal sealed class WriteCoalescer
{
    private readonly Dictionary<(string Run, string Step), StepTransitionWrite> _lastTransition = [];
    private readonly List<StepTransitionWrite> _transitionChains = [];
    private readonly Dictionary<(string Run, string Step, int Attempt), AttemptWrite> _lastAttemptWrite = [];
    private readonly List<AttemptWrite> _attemptChains = [];
    private readonly List<EventWrite> _eventWrites = [];
    private readonly List<EventWrite> _singles = [];
    private readonly List<RunEvent> _events = [];

    /// <summary>Applies the mergeable commands (and markers) in <paramref name="batch"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <param name="batch">The batch being committed.</param>
    /// <param name="start">The first command of the segment.</param>
    /// <param name="end">One past the last command of the segment.</param>
    /// <param name="statements">The writer's statements.</param>
    /// <param name="applyOne">The writer's usual path for one command: runs it, and rejects it alone if its input is at fault.</param>
    public void Apply(List<WriteCommand> batch, int start, int end, WriterStatements statements, Action<WriteCommand> applyOne)
    {
        try
        {
            for (int i = start; i < end; i++)
            {
                switch (batch[i])
                {
                    case StepTransitionWrite transition:
                        Chain(transition);
                        break;
                    case AttemptWrite attempt:
                        Chain(attempt);
                        break;
                    case EventWrite events:
                        _eventWrites.Add(events);
                        break;
                    case { IsWrite: true } other:
                        // Outputs and checkpoints touch columns and tables nothing else here does: their own order is kept.
                        applyOne(other);
                        break;
                }
            }

            foreach (StepTransitionWrite chain in _transitionChains)
            {
                ApplyTransitions(chain, statements, applyOne);
            }

            foreach (AttemptWrite chain in _attemptChains)
            {
                ApplyAttempt(chain, statements, applyOne);
            }

            ApplyEvents(statements, applyOne);
        }
        finally
        {
            _lastTransition.Clear();
            _transitionChains.Clear();
            _lastAttemptWrite.Clear();
            _attemptChains.Clear();
            _eventWrites.Clear();
            _singles.Clear();
            _events.Clear();
        }
    }

    private void Chain(StepTransitionWrite transition)
    {
        transition.Following = null;
        (string, string) key = (transition.Run.Value, transition.Step);
        if (_lastTransition.TryGetValue(key, out StepTransitionWrite? last))
        {
            last.Following = transition;
        }
        else
        {
            _transitionChains.Add(transition);
        }

        _lastTransition[key] = transition;
    }

    private void Chain(AttemptWrite attempt)
    {
        attempt.Following = null;
        (string, string, int) key = (attempt.Run.Value, attempt.Step, attempt.Attempt);
        if (_lastAttemptWrite.TryGetValue(key, out AttemptWrite? last))
        {
            last.Following = attempt;
        }
        else
        {
            _attemptChains.Add(attempt);
        }

        _lastAttemptWrite[key] = attempt;
    }

    private static void ApplyTransitions(StepTransitionWrite? first, WriterStatements statements, Action<WriteCommand> applyOne)
    {
        while (first is not null)
        {
            // The longest run of transitions that each expect the state the previous one set.
            StepTransitionWrite last = first;
            while (last.Following is { } following && following.Expected == last.Next)
            {
                last = following;
            }

            if (ReferenceEquals(first, last))
            {
                applyOne(first);
                first = first.Following;
                continue;
            }

            // What applying them one by one leaves in the row: the last reason given, the first start, the last end.
            string? reason = null;
            DateTimeOffset? startedAt = null;
            DateTimeOffset? endedAt = null;
            for (StepTransitionWrite t = first; ; t = t.Following!)
            {
                reason = t.Reason ?? reason;
                startedAt ??= t.Next == StepStatus.Running ? t.At : null;
                endedAt = t.Next.IsFinal() ? t.At : endedAt;
                if (ReferenceEquals(t, last))
                {
                    break;
                }
            }

            bool won;
            try
            {
                won = statements.TransitionStep(first.Run, first.Step, first.Expected, last.Next, reason, startedAt, endedAt);
            }
            catch (Exception error) when (GroupCommitWriter.IsCommandError(error))
            {
                // Nothing was changed: let each transition succeed or fail on its own.
                for (StepTransitionWrite? t = first; !ReferenceEquals(t, last.Following); t = t!.Following)
                {
                    applyOne(t!);
                }

                first = last.Following;
                continue;
            }

            if (won)
            {
                for (StepTransitionWrite t = first; ; t = t.Following!)
                {
                    t.SetResult(true);
                    if (ReferenceEquals(t, last))
                    {
                        break;
                    }
                }

                first = last.Following;
            }
            else
            {
                // The row was not in the first one's expected state, so it lost and changed nothing; the rest face the real state.
                first.SetResult(false);
                first = first.Following;
            }
        }
    }

    private static void ApplyAttempt(AttemptWrite? write, WriterStatements statements, Action<WriteCommand> applyOne)
    {
        while (write is not null)
        {
            if (write.Ended is null && write.Following is { Ended: { } ended } completion)
            {
                // A new row inserted finished is what the start then the completion leave; a duplicate start inserts nothing.
                bool inserted;
                try
                {
                    inserted = statements.InsertAttempt(write.Run, write.Step, write.Attempt, write.Started, ended);
                }
                catch (Exception error) when (GroupCommitWriter.IsCommandError(error))
                {
                    applyOne(write);
                    write = completion;
                    continue;
                }

                write.SetResult(inserted);
                if (inserted)
                {
                    completion.SetResult(true);
                    write = completion.Following;
                }
                else
                {
                    write = completion;
                }

                continue;
            }

            applyOne(write);
            write = write.Following;
        }
    }

    private void ApplyEvents(WriterStatements statements, Action<WriteCommand> applyOne)
    {
        foreach (EventWrite write in _eventWrites)
        {
            if (write.Events.Length == 1)
            {
                _singles.Add(write);
                _events.Add(write.Events[0]);
                continue;
            }

            // A call with many events stands or falls whole, so it goes through the usual path, after the ones before it.
            FlushSingles(statements, applyOne);
            applyOne(write);
        }

        FlushSingles(statements, applyOne);
    }

    // Each of these writes carries one event, so a multi-row statement that fails (and SQLite undoes whole) is retried row by row.
    private void FlushSingles(WriterStatements statements, Action<WriteCommand> applyOne)
    {
        ReadOnlySpan<RunEvent> events = CollectionsMarshal.AsSpan(_events);
        int i = 0;
        for (; i + WriterStatements.RowsPerInsert <= events.Length; i += WriterStatements.RowsPerInsert)
        {
            bool inserted;
            try
            {
                statements.InsertEventRows(events.Slice(i, WriterStatements.RowsPerInsert));
                inserted = true;
            }
            catch (Exception error) when (GroupCommitWriter.IsCommandError(error))
            {
                inserted = false;
            }

            for (int k = i; k < i + WriterStatements.RowsPerInsert; k++)
            {
                if (inserted)
                {
                    _singles[k].SetResult(true);
                }
                else
                {
                    applyOne(_singles[k]);
                }
            }
        }

        for (; i < events.Length; i++)
        {
            applyOne(_singles[i]);
        }

        _singles.Clear();
        _events.Clear();
    }
}
