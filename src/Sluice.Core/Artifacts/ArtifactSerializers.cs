using System.Collections.Concurrent;
using System.Text.Json;
using Sluice.Secrets;

namespace Sluice.Artifacts;

/// <summary>Chooses the serializer for each artifact type: a registered one, or JSON by default. One registry per pipeline host, not a global.</summary>
public sealed class ArtifactSerializers
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();
    private readonly JsonSerializerOptions _jsonOptions;

    /// <summary>Creates a registry whose JSON default uses the given options.</summary>
    /// <param name="jsonOptions">The JSON options for types without a registered serializer. <value>The default is <see cref="JsonArtifactSerializer{T}.DefaultOptions"/>.</value></param>
    public ArtifactSerializers(JsonSerializerOptions? jsonOptions = null)
    {
        _jsonOptions = jsonOptions ?? JsonArtifactSerializer<object>.DefaultOptions;
        _serializers[typeof(string)] = new TextArtifactSerializer();
    }

    /// <summary>Registers the serializer for a type, replacing any earlier one.</summary>
    public ArtifactSerializers Register<T>(IArtifactSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializers[typeof(T)] = serializer;
        return this;
    }

    /// <summary>Serializes a value of a type known only at run time into the store; with secrets to scan for, throws <see cref="SecretLeakException"/> before storing bytes that show one.</summary>
    internal Task<ArtifactRef> WriteAsync(IArtifactStore store, object? value, Type type, CancellationToken cancellationToken, SecretRedactor? scanFor = null, string producer = "a step") =>
        Codec(type).WriteAsync(this, store, value, scanFor is { IsEmpty: false } ? scanFor : null, producer, cancellationToken);

    /// <summary>Reads a value of a type known only at run time from the store.</summary>
    internal Task<object?> ReadAsync(IArtifactStore store, ContentHash hash, Type type, CancellationToken cancellationToken) =>
        Codec(type).ReadAsync(this, store, hash, cancellationToken);

    // A step's output type is only known at run time; one small generic adapter per type bridges to Get<T>.
    private static readonly ConcurrentDictionary<Type, UntypedCodec> Codecs = new();

    private static UntypedCodec Codec(Type type) =>
        Codecs.GetOrAdd(type, static t => (UntypedCodec)Activator.CreateInstance(typeof(TypedCodec<>).MakeGenericType(t))!);

    private abstract class UntypedCodec
    {
        public abstract Task<ArtifactRef> WriteAsync(ArtifactSerializers serializers, IArtifactStore store, object? value, SecretRedactor? scanFor, string producer, CancellationToken cancellationToken);

        public abstract Task<object?> ReadAsync(ArtifactSerializers serializers, IArtifactStore store, ContentHash hash, CancellationToken cancellationToken);
    }

    private sealed class TypedCodec<T> : UntypedCodec
    {
        public override Task<ArtifactRef> WriteAsync(ArtifactSerializers serializers, IArtifactStore store, object? value, SecretRedactor? scanFor, string producer, CancellationToken cancellationToken) =>
            scanFor is null
                ? store.WriteValueAsync((T)value!, serializers.Get<T>(), cancellationToken)
                : store.WriteAsync((stream, ct) => SecretScanningStream.WriteAsync(stream, scanFor, producer, s => serializers.Get<T>().SerializeAsync((T)value!, s, ct), ct), cancellationToken);

        public override async Task<object?> ReadAsync(ArtifactSerializers serializers, IArtifactStore store, ContentHash hash, CancellationToken cancellationToken) =>
            await store.ReadValueAsync(hash, serializers.Get<T>(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the serializer registered for a type, or a JSON serializer when none is.</summary>
    public IArtifactSerializer<T> Get<T>() =>
        (IArtifactSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, options) => new JsonArtifactSerializer<T>(options), _jsonOptions);
}
