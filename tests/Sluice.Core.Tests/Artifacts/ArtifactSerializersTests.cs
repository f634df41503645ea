using System.Text.Json.Serialization;
using Sluice.Definitions;

namespace Sluice.Artifacts;

/// <summary>JSON contracts for artifacts: compile-time ones give the reflection serializer's bytes, and without reflection (Native AOT) a missing one is named before anything runs.</summary>
public sealed class ArtifactSerializersTests
{
    public sealed record Reading(string Sensor, double Value, DateTimeOffset At, IReadOnlyList<int> Flags);

    public sealed record Unlisted(string Name);

    [Fact]
    public void Problem_WithoutReflection_TypeWithoutContract_NamesTheTypeAndTheFix()
    {
        var serializers = new ArtifactSerializers(null, reflection: false);

        string? problem = serializers.Problem(typeof(Reading));

        Assert.NotNull(problem);
        Assert.Contains(typeof(Reading).FullName!, problem);
        Assert.Contains("[JsonSerializable(typeof(Reading))]", problem);
        Assert.Contains("p.JsonTypes(", problem);
        Assert.Null(serializers.AddJsonTypes(ArtifactsTestJson.Default).Problem(typeof(Reading)));
        Assert.NotNull(serializers.Problem(typeof(Unlisted)));
    }

    [Fact]
    public void Problem_WithoutReflection_BuiltInTypesAndRegisteredSerializers_AreStorable()
    {
        var serializers = new ArtifactSerializers(null, reflection: false);

        foreach (Type type in new[] { typeof(string), typeof(int), typeof(long), typeof(double[]), typeof(string[]), typeof(Unit), typeof(CommandOutputs) })
        {
            Assert.Null(serializers.Problem(type));
        }

        Assert.Null(serializers.Register(new JsonArtifactSerializer<Unlisted>()).Problem(typeof(Unlisted)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_WithContext_GivesTheReflectionSerializersBytes(bool reflection)
    {
        var reading = new Reading("t-1 \"ü\"", 0.1 + 0.2, new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.FromHours(1)), [3, 1]);

        byte[] expected = await BytesAsync(new ArtifactSerializers().Get<Reading>(), reading);
        byte[] actual = await BytesAsync(new ArtifactSerializers(null, reflection).AddJsonTypes(ArtifactsTestJson.Default).Get<Reading>(), reading);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task AddJsonTypes_WithReflection_StillWritesUnlistedTypes_AndLeavesTheDefaultsAlone()
    {
        ArtifactSerializers serializers = new ArtifactSerializers().AddJsonTypes(ArtifactsTestJson.Default);

        byte[] bytes = await BytesAsync(serializers.Get<Unlisted>(), new Unlisted("n"));

        Assert.Equal(await BytesAsync(new JsonArtifactSerializer<Unlisted>(), new Unlisted("n")), bytes);
        Assert.DoesNotContain(ArtifactsTestJson.Default, JsonArtifactSerializer<object>.DefaultOptions.TypeInfoResolverChain);
    }

    private static async Task<byte[]> BytesAsync<T>(IArtifactSerializer<T> serializer, T value)
    {
        using var stream = new MemoryStream();
        await serializer.SerializeAsync(value, stream);
        return stream.ToArray();
    }
}

[JsonSerializable(typeof(ArtifactSerializersTests.Reading))]
internal sealed partial class ArtifactsTestJson : JsonSerializerContext;
