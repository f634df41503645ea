namespace Sluice.Alerts;

/// <summary>A sink could not deliver an alert; says whether trying again may help.</summary>
public sealed class AlertDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the sink's answer (an HTTP status, an exit code); never a secret.</param>
    /// <param name="isTransient">Whether a retry may succeed: false for answers such as HTTP 404 that will not change.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public AlertDeliveryException(string message, bool isTransient = true, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Gets whether a retry may succeed.</summary>
    public bool IsTransient { get; }
}
