using System.IO.Hashing;

namespace Sluice.Artifacts;

public sealed class ContentHashTests
{
    private const string Sample = "xxh128:5d1f0c2a00112233445566778899aabb";

    [Fact]
    public void Parse_TextForm_RoundTrips()
    {
        ContentHash hash = ContentHash.Parse(Sample);

        Assert.Equal("xxh128", hash.Algorithm);
        Assert.Equal("5d1f0c2a00112233445566778899aabb", hash.Hex);
        Assert.Equal("5d1f0c2a", hash.ShortHex);
        Assert.Equal(Sample, hash.ToString());
        Assert.Equal(hash, ContentHash.FromDigest("xxh128", hash.GetDigest()));
    }

    [Fact]
    public void Parse_KeepsTheText_SoWritingItOutAgainMakesNoString()
    {
        string text = "sha256:" + new string('a', 64);

        ContentHash hash = ContentHash.Parse(text);

        Assert.Same(text, hash.ToString());
        Assert.Same(ContentHash.Sha256, hash.Algorithm);
        Assert.Equal(new string('a', 64), hash.Hex);
        Assert.Equal(hash.Hex, hash.HexSpan.ToString());
        Assert.Equal(string.Empty, default(ContentHash).ToString());
        Assert.Equal(string.Empty, default(ContentHash).ShortHex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5d1f0c2a00112233445566778899aabb")]
    [InlineData("xxh128:5D1F0C2A00112233445566778899AABB")]
    [InlineData("xxh128:5d1f")]
    [InlineData("md5:5d1f0c2a00112233445566778899aabb")]
    [InlineData("sha256:5d1f0c2a00112233445566778899aabb")]
    public void TryParse_MalformedText_IsRejected(string text)
    {
        Assert.False(ContentHash.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ContentHash.Parse(text));
    }

    [Fact]
    public void Equality_SameDigestDifferentAlgorithm_IsNotEqual()
    {
        byte[] digest = new byte[32];
        ContentHash sha = ContentHash.FromDigest(ContentHash.Sha256, digest);
        ContentHash xxh = ContentHash.FromDigest(ContentHash.Xxh128, digest.AsSpan(0, 16));

        Assert.NotEqual(sha.ToString()[..10], xxh.ToString()[..10]);
        Assert.NotEqual(sha, xxh);
        Assert.Equal(sha, ContentHash.Parse(sha.ToString()));
    }

    [Fact]
    public void Hasher_MatchesSystemIoHashingInOneGo()
    {
        byte[] data = new byte[10_000];
        new Random(3).NextBytes(data);
        using var hasher = new ContentHasher(ContentHash.Xxh128);

        hasher.Append(data.AsSpan(0, 3_000));
        hasher.Append(data.AsSpan(3_000));

        Assert.Equal(ContentHash.FromDigest(ContentHash.Xxh128, XxHash128.Hash(data)), hasher.GetHash());
        Assert.Equal(10_000, hasher.Length);
    }

    [Fact]
    public void Hasher_UnknownAlgorithm_NamesTheKnownOnes()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new ContentHasher("md5"));

        Assert.Contains("xxh128", error.Message, StringComparison.Ordinal);
    }
}
