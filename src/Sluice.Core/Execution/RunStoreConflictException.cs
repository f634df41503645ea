namespace Sluice.Execution;

/// <summary>Thrown when a compare-and-set on the run store was lost: another process changed the same run.</summary>
public sealed class RunStoreConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RunStoreConflictException()
        : base("The run store changed under this run.")
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RunStoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
