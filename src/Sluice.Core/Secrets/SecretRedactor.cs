namespace Sluice.Secrets;

/// <summary>Replaces every known secret value in text with <c>***</c> before Sluice writes it anywhere.</summary>
/// <remarks>Thread-safe: secrets may be added while other threads redact.</remarks>
public sealed class SecretRedactor
{
    /// <summary>The text a secret is replaced with.</summary>
    public const string Mask = "***";

    private volatile string[] _values = [];
    private readonly Lock _gate = new();

    /// <summary>Gets a redactor that knows no secrets and returns text unchanged.</summary>
    public static SecretRedactor None { get; } = new();

    /// <summary>Gets whether any secret is known.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>Adds a secret value to redact.</summary>
    public void Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || ReferenceEquals(this, None))
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Contains(value, StringComparer.Ordinal))
            {
                // Longest first, so a secret that contains another is masked whole.
                _values = [.. _values.Append(value).OrderByDescending(v => v.Length)];
            }
        }
    }

    /// <summary>Returns <paramref name="text"/> with every known secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        string[] values = _values;
        if (values.Length == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (string value in values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Returns <paramref name="text"/> redacted, or null for null.</summary>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
