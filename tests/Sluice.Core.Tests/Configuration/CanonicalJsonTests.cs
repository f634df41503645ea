using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sluice.Secrets;

namespace Sluice.Configuration;

/// <summary>The canonical parameter JSON is written without the reflection serializer (Native AOT has none) and must stay byte for byte what key format 1 hashed.</summary>
public sealed class CanonicalJsonTests
{
    [Flags]
    public enum Days
    {
        None = 0,
        Monday = 1,
        Tuesday = 2,
    }

    public enum Mode
    {
        Fast,
        Careful,
    }

    public sealed class Inner
    {
        public string Name { get; set; } = "inner \"quoted\" <tag> & 'apostrophe' +plus";

        public double? Maybe { get; set; }

        public List<int> Numbers { get; set; } = [3, 1, 2];
    }

    public sealed record Positional(string B, IReadOnlyList<string> A, SortedDictionary<string, string> Env, IReadOnlyList<int> Codes);

    public sealed class Everything
    {
        public string Text { get; set; } = "héllo wörld ✓ \t\n \u0001 / \\ 日本";

        public string? Missing { get; set; }

        public int Whole { get; set; } = -42;

        public long Big { get; set; } = long.MaxValue;

        public short Small { get; set; } = short.MinValue;

        public byte Byte { get; set; } = 255;

        public uint Count32 { get; set; } = uint.MaxValue;

        public ulong BigUnsigned { get; set; } = ulong.MaxValue;

        public double Fraction { get; set; } = 0.1;

        public double Tiny { get; set; } = 1e-7;

        public double Huge { get; set; } = double.MaxValue;

        public double NegativeZero { get; set; } = -0.0;

        public float Single32 { get; set; } = 3.14159f;

        public decimal Money { get; set; } = 1234.5000m;

        public bool Flag { get; set; } = true;

        public char Letter { get; set; } = 'é';

        public Mode Mode { get; set; } = Mode.Careful;

        public Mode Undefined { get; set; } = (Mode)7;

        public Days Days { get; set; } = Days.Monday | Days.Tuesday;

        public Mode? NullableMode { get; set; } = Mode.Fast;

        public int? NullableInt { get; set; }

        public DateTime Local { get; set; } = new(2024, 2, 29, 13, 45, 6, 789, DateTimeKind.Unspecified);

        public DateTime Utc { get; set; } = new DateTime(2024, 2, 29, 13, 45, 6, DateTimeKind.Utc).AddTicks(1234);

        public DateTimeOffset Offset { get; set; } = new(2024, 2, 29, 13, 45, 6, TimeSpan.FromHours(-5.5));

        public DateOnly Date { get; set; } = new(2000, 1, 3);

        public TimeOnly Time { get; set; } = new(7, 8, 9, 10);

        public TimeSpan Duration { get; set; } = new(1, 2, 3, 4, 500);

        public TimeSpan Negative { get; set; } = TimeSpan.FromMinutes(-5);

        public Guid Id { get; set; } = new("0f8fad5b-d9cb-469f-a165-70867728950e");

        public Uri Link { get; set; } = new("https://example.org/a b?q=1", UriKind.Absolute);

        public Uri Relative { get; set; } = new("data/x.csv", UriKind.Relative);

        public Secret Password { get; set; } = new("hunter2-hunter2");

        public string[] Array { get; set; } = ["b", "a"];

        public IReadOnlyList<string> Empty { get; set; } = [];

        public Dictionary<string, int> Map { get; set; } = new() { ["z"] = 1, ["a"] = 2, ["É"] = 3, ["a\"b"] = 4 };

        public IReadOnlyDictionary<string, Inner> Nested { get; set; } = new Dictionary<string, Inner> { ["one"] = new() };

        public Inner Child { get; set; } = new() { Maybe = 2.5 };

        public Inner? NoChild { get; set; }

        public List<Inner> Children { get; set; } = [new(), new() { Numbers = [] }];

        public object Boxed { get; set; } = new Inner();

        [JsonPropertyName("renamed-key")]
        public string Renamed { get; set; } = "r";

        [JsonIgnore]
        public string Hidden { get; set; } = "never";

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? HiddenWhenNull { get; set; }

        public int Computed => Whole * 2;

        public int WriteOnly
        {
            set => _ = value;
        }

        public string this[int index] => index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Write_EveryKindOfValue_GivesTheReflectionSerializersBytesSorted()
    {
        var value = new Everything();

        Assert.Equal(Oracle(value, typeof(Everything)), CanonicalJson.Write(value, typeof(Everything), null));
    }

    [Fact]
    public void Write_PositionalRecordWithSortedDictionary_GivesTheReflectionSerializersBytesSorted()
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = "/usr/bin", ["A"] = "$(x); `y`\n" };
        var value = new Positional("python3", ["-c", "print('ü')"], env, [75, 1]);

        Assert.Equal(Oracle(value, typeof(Positional)), CanonicalJson.Write(value, typeof(Positional), null));
    }

    [Fact]
    public void Write_ValueShowingASecret_IsMaskedAsTheOldFormMasked()
    {
        var secrets = new SecretRedactor();
        secrets.Add("token", "s3cr3t-value-123");
        var value = new Inner { Name = "prefix s3cr3t-value-123 suffix" };

        string json = CanonicalJson.Write(value, typeof(Inner), secrets);

        Assert.Equal(Oracle(value, typeof(Inner), secrets), json);
        Assert.DoesNotContain("s3cr3t", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with \"quotes\" and \\ and <html> & + '")]
    [InlineData("ünïcödé 日本 \u0000 \u001f \u2028")]
    [InlineData("")]
    public void Quote_IsWhatTheSerializerWrites(string value) =>
        Assert.Equal(JsonSerializer.Serialize(value), CanonicalJson.Quote(value));

    // Key format 1 as it was first written: the reflection serializer's JSON (enums as names), keys re-ordered.
    private static readonly JsonSerializerOptions OracleOptions = new() { Converters = { new JsonStringEnumConverter() } };

    private static string Oracle(object value, Type type, SecretRedactor? secrets = null)
    {
        var text = new StringBuilder();
        Write(JsonSerializer.SerializeToNode(value, type, OracleOptions), text, secrets);
        return text.ToString();

        static void Write(JsonNode? node, StringBuilder text, SecretRedactor? secrets)
        {
            switch (node)
            {
                case JsonObject obj:
                    text.Append('{');
                    bool first = true;
                    foreach (KeyValuePair<string, JsonNode?> property in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        text.Append(first ? "" : ",").Append(JsonSerializer.Serialize(property.Key)).Append(':');
                        Write(property.Value, text, secrets);
                        first = false;
                    }

                    text.Append('}');
                    break;
                case JsonArray array:
                    text.Append('[');
                    for (int i = 0; i < array.Count; i++)
                    {
                        text.Append(i == 0 ? "" : ",");
                        Write(array[i], text, secrets);
                    }

                    text.Append(']');
                    break;
                case null:
                    text.Append("null");
                    break;
                default:
                    string json = node.ToJsonString();
                    text.Append(secrets is null || ReferenceEquals(secrets.Redact(json), json) ? json : $"\"{SecretRedactor.Mask}\"");
                    break;
            }
        }
    }
}
