namespace Sluice.Artifacts;

/// <summary>Turns a step's output value into the bytes of its artifact and back, streaming both ways.</summary>
/// <remarks>
/// Serialization must be deterministic: equal values give equal bytes, so they get equal hashes and
/// downstream steps can be reused (early cut-off).
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
public interface IArtifactSerializer<T>
{
    /// <summary>Writes a value to a stream without buffering the whole of it first.</summary>
    Task SerializeAsync(T value, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Reads a value back from a stream.</summary>
    ValueTask<T> DeserializeAsync(Stream source, CancellationToken cancellationToken = default);
}
