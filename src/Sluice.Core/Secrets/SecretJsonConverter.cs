using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Secrets;

/// <summary>Writes a <see cref="Secret"/> as <c>"***"</c>, so fingerprints, artifacts and reports that serialize settings never hold the value; reads text back as a secret.</summary>
internal sealed class SecretJsonConverter : JsonConverter<Secret>
{
    public override Secret? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? new Secret(reader.GetString()!) : throw new JsonException("A secret is written as a JSON string.");

    public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) =>
        writer.WriteStringValue(SecretRedactor.Mask);
}
