using Sluice.Execution;

namespace Sluice.Core.Tests.Execution;

/// <summary>A wake another thread needs waits until a thread that defers wakes next blocks; any other thread is told to wake now.</summary>
public sealed class LaneThreadsTests
{
    [Fact]
    public async Task DeferWake_OnAPoolThread_IsRefusedSoTheCallerWakesNow()
    {
        int woken = 0;

        (bool deferred, bool pool) = await Task.Run(() => (LaneThreads.DeferWake(() => woken++), Thread.CurrentThread.IsThreadPoolThread));
        await Task.Run(LaneThreads.WakeDeferred);

        Assert.True(pool);
        Assert.False(deferred);
        Assert.Equal(0, woken);
    }

    [Fact]
    public void DeferWake_OnAThreadOnlyAdopted_IsRefused()
    {
        // A lane starter's own threads are adopted but never said they would wake anything later: they wake at once.
        bool deferred = true;
        var thread = new Thread(() =>
        {
            LaneThreads.Adopt();
            deferred = LaneThreads.DeferWake(() => { });
        });

        thread.Start();
        thread.Join();

        Assert.False(deferred);
    }

    [Fact]
    public void DeferWake_OnAThreadThatDefersWakes_RunsEachWakeOnceAtTheNextWakeDeferred()
    {
        int first = 0;
        int second = 0;
        var seen = new List<(bool Deferred, int First, int Second)>();
        Action wakeFirst = () => first++;
        var thread = new Thread(() =>
        {
            LaneThreads.DeferWakes();
            bool deferred = LaneThreads.DeferWake(wakeFirst);
            deferred &= LaneThreads.DeferWake(wakeFirst); // the same writer asked twice is woken once
            deferred &= LaneThreads.DeferWake(() => second++);
            seen.Add((deferred, first, second));
            LaneThreads.WakeDeferred();
            seen.Add((deferred, first, second));
            LaneThreads.WakeDeferred(); // nothing left
            seen.Add((deferred, first, second));
        });

        thread.Start();
        thread.Join();

        Assert.Equal([(true, 0, 0), (true, 1, 1), (true, 1, 1)], seen);
    }

    [Fact]
    public void WakeDeferred_AWakeThatDefersAgain_IsKeptForTheNextTime()
    {
        int runs = 0;
        var counts = new List<int>();
        var thread = new Thread(() =>
        {
            LaneThreads.DeferWakes();
            Action? again = null;
            again = () =>
            {
                runs++;
                if (runs == 1)
                {
                    LaneThreads.DeferWake(again!);
                }
            };
            LaneThreads.DeferWake(again);
            LaneThreads.WakeDeferred();
            counts.Add(runs);
            LaneThreads.WakeDeferred();
            counts.Add(runs);
        });

        thread.Start();
        thread.Join();

        Assert.Equal([1, 2], counts);
    }
}
