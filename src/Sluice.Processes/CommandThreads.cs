namespace Sluice.Processes;

/// <summary>Threads that wait for commands, one per command waited on at once, kept while there is work and ended after a quiet spell.</summary>
/// <remarks>
/// A command's wait blocks in poll(2) (<see cref="ChildProcess.Wait"/>), which must not hold a thread-pool thread: the pool
/// adds threads only slowly when its own are blocked, and a timer or another step could wait behind them. A wait handed
/// here completes its task on this thread, and what awaited it (the rest of the step, and the lane's next steps) runs on
/// here too: the program's exit wakes the thread that goes on with the step, with no hand-off. A later command started
/// from this thread is waited for right here (<see cref="IsCurrent"/>), so a chain of commands stays on one thread. When
/// the lane ends or awaits something else, the thread takes the next wait or rests.
/// A run's lanes may start here too (<see cref="LaneStarter"/>, offered by <see cref="CommandServices"/>): a step that
/// gives its place back when its program exits then starts the next one by waking an idle thread of these, which
/// spawns the program and waits for it itself, instead of queueing to the pool, whose woken worker spun looking for
/// more work and handed the wait over once more.
/// </remarks>
internal static class CommandThreads
{
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(30);
    private static readonly Lock Gate = new();
    private static readonly List<Worker> Idle = [];
    private static int _started;

    [ThreadStatic]
    private static bool t_current;

    /// <summary>Gets whether the calling thread is one of these, free to block until its command ends.</summary>
    public static bool IsCurrent => t_current;

    /// <summary>Gets a starter that runs a run's lanes on these threads (<see cref="Execution.ILaneStarter"/>).</summary>
    public static Execution.ILaneStarter LaneStarter { get; } = new Starter();

    /// <summary>Runs <paramref name="wait"/> on a waiting thread; the task completes on that thread, continuations inline.</summary>
    public static Task<T> RunAsync<T>(Func<T> wait)
    {
        // No RunContinuationsAsynchronously: running the awaiting step on here is the point.
        var done = new TaskCompletionSource<T>();
        Run(() =>
        {
            try
            {
                done.SetResult(wait());
            }
            catch (OperationCanceledException e)
            {
                done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on an idle thread, or a new one; it must not throw.</summary>
    public static void Run(Action work)
    {
        Worker? worker;
        lock (Gate)
        {
            worker = Idle.Count > 0 ? Idle[^1] : null;
            if (worker is not null)
            {
                Idle.RemoveAt(Idle.Count - 1);
            }
        }

        if (worker is null)
        {
            worker = new Worker(work);
            var thread = new Thread(worker.Loop) { IsBackground = true, Name = $"Sluice command {Interlocked.Increment(ref _started)}" };

            // The coordinator starts lanes under its lock: a pool thread waits for the new thread to run, not the caller.
            // A thread that cannot be started (out of threads or memory) leaves the work to that pool thread.
            Execution.PooledThreadStart.Start(thread, _ => work());
        }
        else
        {
            worker.Give(work);
        }
    }

    private sealed class Starter : Execution.ILaneStarter
    {
        public void Start(Action lane) => Run(lane);
    }

    private sealed class Worker(Action first)
    {
        private readonly object _lock = new(); // a Monitor, for Wait and Pulse
        private Action? _work = first;

        public void Give(Action work)
        {
            lock (_lock)
            {
                _work = work;
                Monitor.Pulse(_lock);
            }
        }

        public void Loop()
        {
            t_current = true;
            Execution.LaneThreads.Adopt(); // the lane whose command ended here goes on here
            Execution.LaneThreads.DeferWakes(); // and wakes the run store's writer once it waits for its next program
            while (Take() is { } work)
            {
                work();
            }
        }

        // The next work, or null when none came for a while (the thread then ends).
        private Action? Take()
        {
            Execution.LaneThreads.WakeDeferred(); // the lane ended or awaits something: whatever it wrote commits now
            lock (_lock)
            {
                if (_work is null)
                {
                    lock (Gate)
                    {
                        Idle.Add(this);
                    }

                    while (_work is null)
                    {
                        if (!Monitor.Wait(_lock, Rest))
                        {
                            lock (Gate)
                            {
                                // Taken from the list just now: its work is on the way.
                                if (_work is null && Idle.Remove(this))
                                {
                                    return null;
                                }
                            }
                        }
                    }
                }

                Action work = _work;
                _work = null;
                return work;
            }
        }
    }
}
