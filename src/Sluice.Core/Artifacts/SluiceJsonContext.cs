using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Definitions;

namespace Sluice.Artifacts;

/// <summary>Compile-time JSON type information for the artifacts Sluice itself stores and the plain values steps most often return, so a Native AOT build (no reflection serializer) writes them byte for byte as a JIT build does.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, WriteIndented = true)]
[JsonSerializable(typeof(CommandOutputs))]
[JsonSerializable(typeof(Unit))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SluiceJsonContext : JsonSerializerContext;
