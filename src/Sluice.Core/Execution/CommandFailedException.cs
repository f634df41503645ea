namespace Sluice.Execution;

/// <summary>A command step's program failed: a non-zero exit code, a missing output, or a program that could not start.</summary>
public sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandFailedException(string message, int? exitCode = null, bool isTransient = false)
        : base(message)
    {
        ExitCode = exitCode;
        IsTransient = isTransient;
    }

    /// <summary>Creates the exception with a message only (not transient).</summary>
    public CommandFailedException()
        : this("The command failed.")
    {
    }

    /// <summary>Creates the exception wrapping the cause (not transient).</summary>
    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the program's exit code, or null when it did not run to an exit.</summary>
    public int? ExitCode { get; }

    /// <summary>Gets whether the exit code is one the step declared transient, so the retry policy may try again.</summary>
    public bool IsTransient { get; }
}
