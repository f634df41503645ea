namespace Sluice.Secrets;

/// <summary>Stands in for an exception whose text shows a secret: same message, type name and stack, redacted.</summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;
    private readonly string? _stack;

    private RedactedException(string message, string text, string? stack)
        : base(message)
    {
        _text = text;
        _stack = stack;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RedactedException()
        : this("An exception whose text showed a secret.", "", null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedactedException(string message)
        : this(message, message, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        _text = message;
    }

    /// <summary>Gets the full name of the exception this stands in for.</summary>
    public string OriginalType { get; private init; } = "";

    /// <inheritdoc/>
    public override string? StackTrace => _stack;

    /// <summary>Returns <paramref name="exception"/> itself when its text shows no secret, else a redacted stand-in.</summary>
    public static Exception From(Exception exception, SecretRedactor redactor)
    {
        string text = exception.ToString();
        string redacted = redactor.Redact(text);
        if (ReferenceEquals(text, redacted))
        {
            return exception;
        }

        return new RedactedException(redactor.Redact(exception.Message), redacted, redactor.RedactOrNull(exception.StackTrace))
        {
            OriginalType = exception.GetType().FullName ?? exception.GetType().Name,
        };
    }

    /// <summary>Returns the original exception's full text (type, message, inner exceptions and stack), redacted.</summary>
    public override string ToString() => _text;
}
