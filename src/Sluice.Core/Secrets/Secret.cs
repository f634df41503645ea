using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Sluice.Secrets;

/// <summary>A secret setting, such as an API key: bound from configuration like text, shown everywhere as <c>***</c>, and read only with <see cref="Reveal"/>.</summary>
/// <remarks>
/// A settings property of this type is a secret wherever its value comes from: the value is redacted from
/// everything Sluice writes, it never enters a step's fingerprint (it serializes as <c>***</c>), and setting it
/// in a committed file (<c>config/appsettings*.json</c>) is a configuration error.
/// </remarks>
[TypeConverter(typeof(SecretTypeConverter))]
[JsonConverter(typeof(SecretJsonConverter))]
[DebuggerDisplay("***")]
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    /// <summary>Wraps a secret value.</summary>
    public Secret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Gets whether the value is empty.</summary>
    public bool IsEmpty => _value.Length == 0;

    /// <summary>Returns the secret value itself; call it only where the value is used, never to log or print it.</summary>
    public string Reveal() => _value;

    /// <summary>Returns <c>***</c>, never the value.</summary>
    public override string ToString() => SecretRedactor.Mask;

    /// <inheritdoc/>
    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Secret);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
