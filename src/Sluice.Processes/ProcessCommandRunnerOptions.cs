namespace Sluice.Processes;

/// <summary>How command steps' processes are run and ended.</summary>
public sealed class ProcessCommandRunnerOptions
{
    /// <summary>Gets or sets how long a cancelled command's process group has after SIGTERM before SIGKILL.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many of the last standard-error lines a failure message quotes.</summary>
    /// <value>The default value is 10.</value>
    public int ErrorTailLines { get; set; } = 10;

    /// <summary>Gets whether a program's end is watched through a pidfd; without one (Linux before 5.3, or tests of that path) the wait looks every 10 ms.</summary>
    internal bool WatchExitWithPidFd { get; init; } = true;
}
