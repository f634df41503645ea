namespace Sluice.Execution;

/// <summary>Threads a run's lane may go on running on when a step finishes there: the thread pool's, and threads that exist to run steps.</summary>
/// <remarks>
/// A step that finishes on some other thread (a timer's, a callback's) hands its lane to the pool before the next step,
/// so a thread that is not Sluice's is never kept. A thread that waits for command steps' programs (Sluice.Processes)
/// is kept: the program's exit wakes it, and the next step starting right there saves a hand-off per step.
/// </remarks>
public static class LaneThreads
{
    [ThreadStatic]
    private static bool t_adopted;

    [ThreadStatic]
    private static bool t_defers;

    [ThreadStatic]
    private static List<Action>? t_wakes;

    /// <summary>Gets whether a lane whose step finished on the calling thread may go on here.</summary>
    public static bool IsCurrent => t_adopted || Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>Declares the calling thread one that exists to run steps, for the rest of its life.</summary>
    public static void Adopt() => t_adopted = true;

    /// <summary>Declares that the calling thread calls <see cref="WakeDeferred"/> before it blocks or ends, so that other threads' wakes may wait until then (<see cref="DeferWake"/>).</summary>
    /// <remarks>Separate from <see cref="Adopt"/>: a lane starter's own threads wake what they write to at once unless they take this on.</remarks>
    public static void DeferWakes() => t_defers = true;

    /// <summary>Gets whether the calling thread said it defers wakes (<see cref="DeferWakes"/>): such a thread runs steps' programs and never blocks on what it writes, so its writes may also wait to be committed with later ones.</summary>
    public static bool IsDeferringWakes => t_defers;

    /// <summary>Leaves <paramref name="wake"/> (which wakes some other thread) until the calling thread next blocks, if it said it would then wake it (<see cref="DeferWakes"/>); false means wake now.</summary>
    /// <remarks>
    /// A command thread ends a command step and starts the next one's program within a fraction of a millisecond. A
    /// thread woken in between (the run store's writer, to commit the step's records) is runnable on this core when the
    /// program is forked, so the scheduler places the program on the other core; on a VM whose idle core must first be
    /// woken through the hypervisor, that cost about 0.1 ms before the program ran, and up to 0.6 ms a step in all.
    /// Woken once this thread waits for the program, the writer commits while the program runs. Nothing is lost by the
    /// delay: the writes are queued, and only their commit waits.
    /// </remarks>
    public static bool DeferWake(Action wake)
    {
        if (!t_defers)
        {
            return false;
        }

        List<Action> wakes = t_wakes ??= new List<Action>(2);
        if (!wakes.Contains(wake))
        {
            wakes.Add(wake);
        }

        return true;
    }

    /// <summary>Runs the wakes the calling thread deferred; a thread that defers wakes calls it before it blocks or ends, and before it runs code that might block.</summary>
    public static void WakeDeferred()
    {
        List<Action>? wakes = t_wakes;
        if (wakes is null || wakes.Count == 0)
        {
            return;
        }

        // Taken off the list first: a wake that defers again is kept for the next time rather than lost.
        Action[] due = [.. wakes];
        wakes.Clear();
        foreach (Action wake in due)
        {
            wake();
        }
    }
}
