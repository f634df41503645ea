using System.Text.Json.Serialization;

namespace Hello;

/// <summary>The JSON contracts of the artifacts the steps return, made at compile time: what lets the pipeline run as a Native AOT binary (the bytes are the same as a JIT build's).</summary>
[JsonSerializable(typeof(Summary))]
[JsonSerializable(typeof(double[]))]
internal sealed partial class HelloJson : JsonSerializerContext;
