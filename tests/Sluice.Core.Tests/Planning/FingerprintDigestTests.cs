namespace Sluice.Planning;

/// <summary>The digest a reused step is matched by must match exactly the texts the fingerprint's value would have equalled.</summary>
public sealed class FingerprintDigestTests
{
    private const string Sample = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

    [Fact]
    public void TryParse_LowerCaseHex_RoundTripsToTheSameText()
    {
        Assert.True(FingerprintDigest.TryParse(Sample, out FingerprintDigest digest));

        Assert.Equal(Sample, digest.ToString());
        Span<char> prefix = stackalloc char[8];
        digest.WritePrefix(prefix);
        Assert.Equal("0f1e2d3c", prefix.ToString());
    }

    [Theory]
    [InlineData("0F1E2D3C4B5A69788796A5B4C3D2E1F00112233445566778899AABBCCDDEEFF0")]
    [InlineData("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff")]
    [InlineData("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff00")]
    [InlineData("0g1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0")]
    [InlineData("")]
    public void TryParse_TextNoFingerprintValueCouldBe_IsRejected(string text)
    {
        Assert.False(FingerprintDigest.TryParse(text, out _));
    }

    [Fact]
    public void Equality_DiffersInAnyPart_IsNotEqual()
    {
        Assert.True(FingerprintDigest.TryParse(Sample, out FingerprintDigest digest));

        Assert.Equal(digest, digest with { });
        Assert.NotEqual(digest, digest with { A = digest.A ^ 1 });
        Assert.NotEqual(digest, digest with { B = digest.B ^ 1 });
        Assert.NotEqual(digest, digest with { C = digest.C ^ 1 });
        Assert.NotEqual(digest, digest with { D = digest.D ^ 1 });
    }
}
