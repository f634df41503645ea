namespace Sluice.Definitions;

/// <summary>Thrown by a step whose input data is invalid; such failures are never retried.</summary>
public class DataValidationException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong and where.</summary>
    public DataValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DataValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public DataValidationException()
        : base("The step's input data is invalid.")
    {
    }
}
