namespace Sluice.Execution;

/// <summary>Starts a dedicated thread from the thread pool, so the caller does not wait for it to be scheduled.</summary>
/// <remarks>
/// <see cref="Thread.Start()"/> returns only once the new thread runs: 0.3-0.7 ms on an idle machine, 2.6-8.0 ms when
/// the other core is busy (docs/benchmarks.md). The run store's writer and checkpointer queue work for their threads
/// anyway, so whoever opens the store need not pay that wait; a new command thread (Sluice.Processes) is asked for
/// while the coordinator holds its lock.
/// </remarks>
internal static class PooledThreadStart
{
    /// <summary>Queues the start of <paramref name="thread"/> to the thread pool.</summary>
    /// <param name="thread">The thread to start.</param>
    /// <param name="failed">What to do if the thread cannot be started (out of threads or memory).</param>
    public static void Start(Thread thread, Action<Exception> failed) =>
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                try
                {
                    state.Thread.Start();
                }
                catch (Exception e) when (e is ThreadStartException or OutOfMemoryException)
                {
                    state.Failed(e);
                }
            },
            (Thread: thread, Failed: failed),
            preferLocal: false);
}
