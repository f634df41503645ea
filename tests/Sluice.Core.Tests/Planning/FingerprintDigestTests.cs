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
        Assert.False(FingerprintDigest.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void TryParse_Utf8Bytes_GivesTheDigestTheTextGives()
    {
        Assert.True(FingerprintDigest.TryParse(Sample, out FingerprintDigest fromText));
        Assert.True(FingerprintDigest.TryParse("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"u8, out FingerprintDigest fromBytes));

        Assert.Equal(fromText, fromBytes);
    }

    [Fact]
    public void TryParse_Utf8WithAByteOutsideAscii_IsRejected()
    {
        // A byte that is a hex digit only once cut to seven bits must not pass the check.
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(Sample);
        bytes[5] = (byte)('a' | 0x80);

        Assert.False(FingerprintDigest.TryParse(bytes, out _));
    }

    [Fact]
    public void CheckpointSummary_FromDigestOrFromText_IsTheSameSummary()
    {
        Assert.True(FingerprintDigest.TryParse(Sample, out FingerprintDigest digest));
        var run = State.RunId.New(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero), 7);

        var fromDigest = new State.CheckpointSummary(digest, run, "xxh128:00", 3);
        var fromText = new State.CheckpointSummary(Sample, run, "xxh128:00", 3);

        Assert.Equal(fromText, fromDigest);
        Assert.Equal(fromText.GetHashCode(), fromDigest.GetHashCode());
        Assert.Equal(Sample, fromDigest.Fingerprint);
        Assert.Equal(digest, fromText.Digest);
        Assert.NotEqual(fromText, fromDigest with { ArtifactSize = 4 });
        Assert.Null(new State.CheckpointSummary(Sample.ToUpperInvariant(), run, "xxh128:00", 3).Digest);
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
