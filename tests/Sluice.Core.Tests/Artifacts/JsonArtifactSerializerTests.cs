using System.Text;

namespace Sluice.Artifacts;

public sealed class JsonArtifactSerializerTests
{
    public sealed record Row(string Symbol, decimal Close, double Volume);

    public sealed class Table
    {
        public string Name { get; set; } = "";

        public List<Row> Rows { get; set; } = [];

        public SortedDictionary<string, int> Counts { get; set; } = new(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Serialize_RoundTrips()
    {
        var serializer = new JsonArtifactSerializer<Table>();
        Table table = Sample();

        using var stream = new MemoryStream();
        await serializer.SerializeAsync(table, stream);
        stream.Position = 0;
        Table back = await serializer.DeserializeAsync(stream);

        Assert.Equal(table.Name, back.Name);
        Assert.Equal(table.Rows, back.Rows);
        Assert.Equal(table.Counts, back.Counts);
    }

    [Fact]
    public async Task Serialize_EqualValuesBuiltDifferently_GiveEqualBytes()
    {
        var serializer = new JsonArtifactSerializer<Table>();
        Table first = Sample();
        Table second = Sample();
        second.Counts.Clear();
        second.Counts["z"] = 1; // sorted keys: filling order must not matter
        second.Counts["a"] = 2;

        byte[] a = await BytesAsync(serializer, first);
        byte[] b = await BytesAsync(serializer, second);

        Assert.Equal(Encoding.UTF8.GetString(a), Encoding.UTF8.GetString(b));
    }

    [Fact]
    public async Task Serialize_DifferentValues_GiveDifferentBytes()
    {
        var serializer = new JsonArtifactSerializer<Table>();
        Table changed = Sample();
        changed.Rows[0] = changed.Rows[0] with { Close = 10.01m };

        Assert.NotEqual(await BytesAsync(serializer, Sample()), await BytesAsync(serializer, changed));
    }

    [Fact]
    public async Task Deserialize_JsonNull_IsRejected()
    {
        var serializer = new JsonArtifactSerializer<Table>();

        await Assert.ThrowsAsync<InvalidDataException>(async () => await serializer.DeserializeAsync(new MemoryStream("null"u8.ToArray())));
    }

    [Fact]
    public void Registry_ReturnsRegisteredSerializer_OrJsonByDefault()
    {
        var custom = new JsonArtifactSerializer<Row>(new System.Text.Json.JsonSerializerOptions());
        var registry = new ArtifactSerializers().Register(custom);

        Assert.Same(custom, registry.Get<Row>());
        Assert.IsType<JsonArtifactSerializer<Table>>(registry.Get<Table>());
        Assert.Same(registry.Get<Table>(), registry.Get<Table>());
    }

    private static Table Sample()
    {
        var table = new Table { Name = "prices", Rows = [new Row("ACME", 10.00m, 1e6), new Row("INIT", 0.1m, 0.3)] };
        table.Counts["a"] = 2;
        table.Counts["z"] = 1;
        return table;
    }

    private static async Task<byte[]> BytesAsync(JsonArtifactSerializer<Table> serializer, Table value)
    {
        using var stream = new MemoryStream();
        await serializer.SerializeAsync(value, stream);
        return stream.ToArray();
    }
}
