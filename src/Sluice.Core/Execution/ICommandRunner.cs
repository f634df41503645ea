namespace Sluice.Execution;

/// <summary>Starts a program and waits for it: the one place a command step touches the operating system's processes.</summary>
/// <remarks>The engine core does no I/O; the implementation (Sluice.Processes) is found in the step's services.</remarks>
public interface ICommandRunner
{
    /// <summary>Runs the program to completion, handing each line it writes to <paramref name="onLine"/> as it comes.</summary>
    /// <remarks>
    /// Cancellation ends the program and everything it started (its whole process group), then throws
    /// <see cref="OperationCanceledException"/>; no process of the command survives the call.
    /// </remarks>
    /// <exception cref="CommandFailedException">The program could not be started (for example, not found).</exception>
    Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken);
}

/// <summary>A program ready to start: every placeholder resolved, every path absolute.</summary>
/// <param name="Program">The program name (looked up on PATH) or path (relative to <paramref name="WorkingDirectory"/>).</param>
/// <param name="Arguments">The arguments, passed as they are.</param>
/// <param name="WorkingDirectory">The absolute folder the program runs in.</param>
/// <param name="Environment">The variables set over the inherited environment.</param>
public sealed record CommandLaunch(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>How a program ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="ErrorTail">The last lines it wrote to standard error, oldest first.</param>
public sealed record CommandExit(int ExitCode, IReadOnlyList<string> ErrorTail);

/// <summary>Which of a program's output streams a line came from.</summary>
public enum CommandStream
{
    /// <summary>Standard output, logged as information.</summary>
    Output,

    /// <summary>Standard error, logged as a warning.</summary>
    Error,
}
