using System.Text;
using Sluice.Artifacts;

namespace Sluice.Core.Tests.Artifacts;

public sealed class TextArtifactSerializerTests
{
    [Fact]
    public async Task Serialize_String_WritesUtf8WithoutBomOrQuotes()
    {
        var stream = new MemoryStream();

        await new ArtifactSerializers().Get<string>().SerializeAsync("Résumé: 42 \"quoted\"\n", stream);

        Assert.Equal(Encoding.UTF8.GetBytes("Résumé: 42 \"quoted\"\n"), stream.ToArray());
    }

    [Fact]
    public async Task Deserialize_WhatWasWritten_GivesTheSameString()
    {
        var stream = new MemoryStream();
        var serializer = new TextArtifactSerializer();
        string text = string.Concat(Enumerable.Repeat("line ✓\r\n", 50_000));

        await serializer.SerializeAsync(text, stream);
        stream.Position = 0;

        Assert.Equal(text, await serializer.DeserializeAsync(stream));
    }
}
