namespace Sluice.Secrets;

/// <summary>Thrown when data about to be stored or published contains a known secret; the data is refused, never rewritten.</summary>
public sealed class SecretLeakException : Exception
{
    /// <summary>Creates the exception for a secret found in what <paramref name="producer"/> wrote (for example "step 'report'").</summary>
    public SecretLeakException(string producer, string secret, string form)
        : base($"Output of {producer} contains the secret {secret} ({form} form); refusing to store or publish it. Keep secrets out of outputs (a Secret serializes as {SecretRedactor.Mask}).")
    {
        Producer = producer;
        Secret = secret;
        Form = form;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SecretLeakException()
        : this("a step", "a secret", SecretForms.Raw)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SecretLeakException(string message)
        : base(message)
    {
        (Producer, Secret, Form) = ("", "", "");
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SecretLeakException(string message, Exception innerException)
        : base(message, innerException)
    {
        (Producer, Secret, Form) = ("", "", "");
    }

    /// <summary>Gets what wrote the data, such as "step 'report'".</summary>
    public string Producer { get; }

    /// <summary>Gets the secret's name, such as its configuration key.</summary>
    public string Secret { get; }

    /// <summary>Gets the form the secret was found in: raw, URL-encoded, JSON-escaped, base64, base64url or hex.</summary>
    public string Form { get; }
}
