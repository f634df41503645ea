using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace StockForecaster.Tests.Sources;

/// <summary>
/// A fake clock that reports every timer as it is armed, so a test moves time only once the code waits on it
/// and can read the exact wait that was asked for (a retry delay, a timeout). Nothing ever sleeps.
/// </summary>
internal sealed class ArmedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();
    private readonly List<TimeSpan> _history = [];
    private readonly Lock _gate = new();

    public ArmedClock()
        : base(new DateTimeOffset(2026, 1, 5, 14, 30, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets every finite due time armed so far, in order.</summary>
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
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                _history.Add(dueTime);
            }

            _armed.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits (in real time, bounded) for the next timer armed with <paramref name="dueTime"/>, skipping others.</summary>
    public async Task WaitForArmedAsync(TimeSpan dueTime)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await _armed.Reader.ReadAsync(giveUp.Token) != dueTime)
        {
        }
    }

    /// <summary>Completes <paramref name="work"/> by advancing the clock through every wait it arms except <paramref name="leaveAlone"/> (the attempt timeout), so retries happen at once.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan leaveAlone)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<TimeSpan> next = _armed.Reader.ReadAsync(giveUp.Token).AsTask();
        while (true)
        {
            Task first = await Task.WhenAny(work, next);
            if (first == work)
            {
                return await work;
            }

            TimeSpan due = await next;
            next = _armed.Reader.ReadAsync(giveUp.Token).AsTask();
            if (due != leaveAlone)
            {
                Advance(due);
            }
        }
    }
}
