using System.Text.Json.Serialization;

namespace Sluice.Sqlite;

/// <summary>Compile-time JSON type information for the run store's JSON columns: no reflection serializer, so a Native AOT build reads and writes them too.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
