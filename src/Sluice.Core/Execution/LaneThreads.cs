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

    /// <summary>Gets whether a lane whose step finished on the calling thread may go on here.</summary>
    public static bool IsCurrent => t_adopted || Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>Declares the calling thread one that exists to run steps, for the rest of its life.</summary>
    public static void Adopt() => t_adopted = true;
}
