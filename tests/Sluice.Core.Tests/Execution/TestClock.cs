using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.Execution;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer as it is armed, so a test advances the
/// clock only once the code under test waits on it: advancing earlier would leave the timer
/// scheduled relative to the new time, and the run would hang.
/// </summary>
internal sealed class TestClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _history = [];

    public TestClock()
        : base(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets every due time armed so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Armed
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Report(dueTime);
        return timer;
    }

    /// <summary>Completes with the due time of the next timer armed (Polly's retry delays and timeouts).</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _armed.Reader.ReadAsync().AsTask().WaitAsync(Watchdog.Limit);

    /// <summary>Waits for the next timer, checks its due time, and advances the clock past it.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan expected)
    {
        TimeSpan due = await NextTimerAsync();
        Assert.Equal(expected, due);
        Advance(due);
    }

    private void Report(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_gate)
        {
            _history.Add(dueTime);
        }

        _armed.Writer.TryWrite(dueTime);
    }

    private sealed class ObservedTimer(ITimer inner, TestClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = inner.Change(dueTime, period);
            clock.Report(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
