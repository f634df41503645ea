using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>A fake clock that reports each timer as it is armed, so a test advances it only once the code waits (a backoff delay), never before.</summary>
internal sealed class ArmedClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero))
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _armed.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits for a timer of <paramref name="due"/>, passing over others (attempt timeouts, the drain limit), and advances past it.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan due)
    {
        using var watchdog = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await _armed.Reader.ReadAsync(watchdog.Token) != due)
        {
        }

        Advance(due);
    }
}
