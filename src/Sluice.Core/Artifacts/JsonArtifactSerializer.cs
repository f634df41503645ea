using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sluice.Artifacts;

/// <summary>Serializes artifacts as JSON with System.Text.Json, straight to and from the stream; the default serializer.</summary>
/// <remarks>
/// Output is deterministic for equal values under these conditions, which a step's output type must meet:
/// properties are written in declaration order (System.Text.Json's order, stable for a compiled type);
/// dictionaries and sets are written in their enumeration order, which for <see cref="Dictionary{TKey, TValue}"/>
/// is insertion order, so two equal dictionaries filled in different orders give different bytes: use
/// <see cref="SortedDictionary{TKey, TValue}"/> or fill them in a fixed order; floating-point numbers use the
/// shortest round-trippable form, which is stable. Changing the options changes the bytes and so the hashes.
/// The type's JSON contract comes from the options' resolver: reflection in a JIT build, or the source-generated
/// contexts a pipeline registers (<c>PipelineBuilder.JsonTypes</c>), which a Native AOT build requires.
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class JsonArtifactSerializer<T> : IArtifactSerializer<T>
{
    // Artifacts up to this size are read whole (see DeserializeSmall).
    private const int SmallArtifactSize = 256 * 1024;

    private JsonTypeInfo<T>? _typeInfo;

    /// <summary>Creates a serializer with the given options, or indented web-free defaults (<see cref="JsonSerializerDefaults.General"/>, indented for published files people read).</summary>
    public JsonArtifactSerializer(JsonSerializerOptions? options = null) => Options = options ?? DefaultOptions;

    /// <summary>Gets the options used when none are given.</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    /// <summary>Returns new options equal to <see cref="DefaultOptions"/> as first created, before any resolver is attached to them.</summary>
    internal static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.General) { WriteIndented = true };

    /// <summary>Gets the options this serializer uses.</summary>
    public JsonSerializerOptions Options { get; }

    // Resolved on first use, not in the constructor: options may still be gaining resolvers while a pipeline is defined.
    private JsonTypeInfo<T> TypeInfo => _typeInfo ??= Resolve(Options);

    private static JsonTypeInfo<T> Resolve(JsonSerializerOptions options)
    {
        if (options.TypeInfoResolver is null && JsonSerializer.IsReflectionEnabledByDefault)
        {
            UseReflection(options);
        }

        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    // What the reflection serializer did on first use of options without a resolver: lock them with its resolver.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when the reflection serializer is enabled (a JIT build), where it is what JSON artifacts always used.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only when the reflection serializer is enabled (a JIT build), where it is what JSON artifacts always used.")]
    private static void UseReflection(JsonSerializerOptions options)
    {
        if (!options.IsReadOnly)
        {
            options.MakeReadOnly(populateMissingResolver: true);
        }
    }

    /// <inheritdoc/>
    public Task SerializeAsync(T value, Stream destination, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(destination, value, TypeInfo, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<T> DeserializeAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        T? value = source.CanSeek && source.Length - source.Position <= SmallArtifactSize
            ? DeserializeSmall(source)
            : await JsonSerializer.DeserializeAsync(source, TypeInfo, cancellationToken).ConfigureAwait(false);
        return value ?? throw new InvalidDataException($"The artifact holds JSON null, not a {typeof(T).Name}.");
    }

    // A small artifact (a command step's manifest, a model's few numbers) is read whole with synchronous reads and parsed in
    // one call: reading a file asynchronously on Unix is a thread-pool hand-off per read, which a no-op re-run paid per step.
    private T? DeserializeSmall(Stream source)
    {
        int length = (int)(source.Length - source.Position);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int read = source.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
            ReadOnlySpan<byte> json = buffer.AsSpan(0, read);

            // The stream reader skips a UTF-8 byte order mark; parsing bytes does not.
            return JsonSerializer.Deserialize(json.StartsWith("\uFEFF"u8) ? json[3..] : json, TypeInfo);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
