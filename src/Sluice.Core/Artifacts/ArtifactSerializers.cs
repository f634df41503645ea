using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Secrets;

namespace Sluice.Artifacts;

/// <summary>Chooses the serializer for each artifact type: a registered one, or JSON by default. One registry per pipeline host, not a global.</summary>
public sealed class ArtifactSerializers
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();
    private JsonSerializerOptions _jsonOptions;
    private readonly ConcurrentDictionary<Type, bool> _contracts = new();
    private readonly bool _reflection;
    private bool _ownsOptions;

    /// <summary>Creates a registry whose JSON default uses the given options.</summary>
    /// <param name="jsonOptions">The JSON options for types without a registered serializer. <value>The default is <see cref="JsonArtifactSerializer{T}.DefaultOptions"/>.</value></param>
    public ArtifactSerializers(JsonSerializerOptions? jsonOptions = null)
        : this(jsonOptions, JsonSerializer.IsReflectionEnabledByDefault)
    {
    }

    /// <summary>Creates a registry as a build with or without the reflection serializer has it (Native AOT has none): the seam for tests.</summary>
    internal ArtifactSerializers(JsonSerializerOptions? jsonOptions, bool reflection)
    {
        _reflection = reflection;
        // Without reflection the defaults are fresh options: the shared ones may carry a reflection resolver in a JIT process.
        _jsonOptions = jsonOptions ?? (reflection ? JsonArtifactSerializer<object>.DefaultOptions : JsonArtifactSerializer<object>.CreateDefaultOptions());
        _serializers[typeof(string)] = new TextArtifactSerializer();
        if (!reflection)
        {
            // Native AOT: no reflection serializer, so Sluice's own artifacts need their compiled contracts.
            AddJsonTypes(SluiceJsonContext.Default);
        }
    }

    /// <summary>Adds compile-time JSON type information (a source-generated <c>JsonSerializerContext</c>) for artifact types; consulted before reflection, and the only source of JSON contracts in a Native AOT build.</summary>
    /// <remarks>The bytes written are the same as with reflection, so checkpoints made by a JIT build and a Native AOT build are interchangeable.</remarks>
    public ArtifactSerializers AddJsonTypes(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        if (!_ownsOptions || _jsonOptions.IsReadOnly)
        {
            // The shared default options, the caller's, or options already in use: copy them rather than change what others see.
            _jsonOptions = new JsonSerializerOptions(_jsonOptions);
            _ownsOptions = true;
        }

        if (_jsonOptions.TypeInfoResolver is null && _reflection)
        {
            _jsonOptions.TypeInfoResolverChain.Add(ReflectionResolver());
        }

        _jsonOptions.TypeInfoResolverChain.Insert(0, resolver);
        return this;
    }

    /// <summary>Returns why values of <paramref name="type"/> cannot be stored, or null when they can: a registered serializer, text, or a JSON contract.</summary>
    internal string? Problem(Type type)
    {
        if (_serializers.ContainsKey(type) || _reflection || _contracts.ContainsKey(type))
        {
            return null;
        }

        // Many steps share a few output types: each is looked up once.
        if (_jsonOptions.TypeInfoResolver is { } resolver && resolver.GetTypeInfo(type, _jsonOptions) is not null)
        {
            _contracts[type] = true;
            return null;
        }

        return $"no JSON contract for {type.FullName}: this build has no reflection serializer (Native AOT). "
            + $"List it in a source-generated context ([JsonSerializable(typeof({type.Name}))] on a JsonSerializerContext) and pass it with p.JsonTypes(MyJsonContext.Default), or register a serializer with p.Serializer<{type.Name}>(...).";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when the reflection serializer is enabled (a JIT build), where it is what JSON artifacts always used.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only when the reflection serializer is enabled (a JIT build), where it is what JSON artifacts always used.")]
    private static DefaultJsonTypeInfoResolver ReflectionResolver() => new();

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

    // A step's output type is only known at run time; one small generic adapter per type bridges to Get<T>. Steps
    // make theirs when they are defined (Prepare), where the type is static, so Native AOT has compiled it.
    private static readonly ConcurrentDictionary<Type, UntypedCodec> Codecs = new();

    /// <summary>Makes the adapter for artifacts of type <typeparamref name="T"/> ahead of use.</summary>
    internal static void Prepare<T>() => Codecs.TryAdd(typeof(T), TypedCodec<T>.Instance);

    private static UntypedCodec Codec(Type type) =>
        Codecs.TryGetValue(type, out UntypedCodec? codec) ? codec
        : RuntimeFeature.IsDynamicCodeSupported ? Codecs.GetOrAdd(type, MakeCodec)
        : throw new InvalidOperationException($"Artifacts of type {type.FullName} were not declared by a step: only step outputs can be stored in a Native AOT build.");

    [RequiresDynamicCode("Makes a generic type at run time; only called when dynamic code is supported.")]
    private static UntypedCodec MakeCodec(Type type) => (UntypedCodec)Activator.CreateInstance(typeof(TypedCodec<>).MakeGenericType(type))!;

    private abstract class UntypedCodec
    {
        public abstract Task<ArtifactRef> WriteAsync(ArtifactSerializers serializers, IArtifactStore store, object? value, SecretRedactor? scanFor, string producer, CancellationToken cancellationToken);

        public abstract Task<object?> ReadAsync(ArtifactSerializers serializers, IArtifactStore store, ContentHash hash, CancellationToken cancellationToken);
    }

    private sealed class TypedCodec<T> : UntypedCodec
    {
        public static readonly TypedCodec<T> Instance = new();

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
