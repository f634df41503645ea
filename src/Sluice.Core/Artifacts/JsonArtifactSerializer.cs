using System.Text.Json;

namespace Sluice.Artifacts;

/// <summary>Serializes artifacts as JSON with System.Text.Json, straight to and from the stream; the default serializer.</summary>
/// <remarks>
/// Output is deterministic for equal values under these conditions, which a step's output type must meet:
/// properties are written in declaration order (System.Text.Json's order, stable for a compiled type);
/// dictionaries and sets are written in their enumeration order, which for <see cref="Dictionary{TKey, TValue}"/>
/// is insertion order, so two equal dictionaries filled in different orders give different bytes: use
/// <see cref="SortedDictionary{TKey, TValue}"/> or fill them in a fixed order; floating-point numbers use the
/// shortest round-trippable form, which is stable. Changing the options changes the bytes and so the hashes.
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class JsonArtifactSerializer<T> : IArtifactSerializer<T>
{
    /// <summary>Creates a serializer with the given options, or indented web-free defaults (<see cref="JsonSerializerDefaults.General"/>, indented for published files people read).</summary>
    public JsonArtifactSerializer(JsonSerializerOptions? options = null) => Options = options ?? DefaultOptions;

    /// <summary>Gets the options used when none are given.</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = new(JsonSerializerDefaults.General) { WriteIndented = true };

    /// <summary>Gets the options this serializer uses.</summary>
    public JsonSerializerOptions Options { get; }

    /// <inheritdoc/>
    public Task SerializeAsync(T value, Stream destination, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(destination, value, Options, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<T> DeserializeAsync(Stream source, CancellationToken cancellationToken = default)
    {
        T? value = await JsonSerializer.DeserializeAsync<T>(source, Options, cancellationToken).ConfigureAwait(false);
        return value ?? throw new InvalidDataException($"The artifact holds JSON null, not a {typeof(T).Name}.");
    }
}
