using System.Collections.Concurrent;
using System.Text.Json;

namespace Sluice.Artifacts;

/// <summary>Chooses the serializer for each artifact type: a registered one, or JSON by default. One registry per pipeline host, not a global.</summary>
public sealed class ArtifactSerializers
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();
    private readonly JsonSerializerOptions _jsonOptions;

    /// <summary>Creates a registry whose JSON default uses the given options.</summary>
    /// <param name="jsonOptions">The JSON options for types without a registered serializer. <value>The default is <see cref="JsonArtifactSerializer{T}.DefaultOptions"/>.</value></param>
    public ArtifactSerializers(JsonSerializerOptions? jsonOptions = null) => _jsonOptions = jsonOptions ?? JsonArtifactSerializer<object>.DefaultOptions;

    /// <summary>Registers the serializer for a type, replacing any earlier one.</summary>
    public ArtifactSerializers Register<T>(IArtifactSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializers[typeof(T)] = serializer;
        return this;
    }

    /// <summary>Returns the serializer registered for a type, or a JSON serializer when none is.</summary>
    public IArtifactSerializer<T> Get<T>() =>
        (IArtifactSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, options) => new JsonArtifactSerializer<T>(options), _jsonOptions);
}
