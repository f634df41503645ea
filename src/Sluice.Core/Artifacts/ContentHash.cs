using System.Diagnostics.CodeAnalysis;

namespace Sluice.Artifacts;

/// <summary>Names content by its hash: an algorithm id and a digest, written <c>xxh128:5d1f0c2a...</c> so a stored hash says how it was made.</summary>
/// <remarks>
/// The algorithm travels in the text form rather than in a format version: a store or record that
/// switches algorithm keeps reading old hashes, and two hashes of different algorithms are never equal.
/// </remarks>
public readonly record struct ContentHash
{
    /// <summary>Names XXH128 (System.IO.Hashing), the default: see docs/adr/0002-content-hash.md.</summary>
    public const string Xxh128 = "xxh128";

    /// <summary>Names SHA-256, for stores that must resist deliberately crafted collisions.</summary>
    public const string Sha256 = "sha256";

    private ContentHash(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary>Gets the algorithm id, such as <c>xxh128</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the digest as lower-case hex.</summary>
    public string Hex { get; }

    /// <summary>Gets the first eight hex digits, for display.</summary>
    public string ShortHex => Hex is null ? string.Empty : Hex[..Math.Min(8, Hex.Length)];

    /// <summary>Creates a hash from an algorithm id and its digest bytes.</summary>
    public static ContentHash FromDigest(string algorithm, ReadOnlySpan<byte> digest)
    {
        if (ExpectedDigestLength(algorithm) is not int length || digest.Length != length)
        {
            throw new ArgumentException($"A '{algorithm}' digest of {digest.Length} bytes is not valid; known algorithms: {Xxh128} (16 bytes), {Sha256} (32 bytes).", nameof(digest));
        }

        return new ContentHash(algorithm, Convert.ToHexStringLower(digest));
    }

    /// <summary>Parses the text form <c>algorithm:hex</c>.</summary>
    public static ContentHash Parse(string text) =>
        TryParse(text, out ContentHash hash)
            ? hash
            : throw new FormatException($"'{text}' is not a content hash: expected '{Xxh128}:' and 32 lower-case hex digits, or '{Sha256}:' and 64.");

    /// <summary>Parses the text form <c>algorithm:hex</c>, returning whether it was valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContentHash hash)
    {
        hash = default;
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        string algorithm = text![..colon];
        string hex = text[(colon + 1)..];
        if (ExpectedDigestLength(algorithm) is not int length || hex.Length != length * 2 || !IsLowerHex(hex))
        {
            return false;
        }

        hash = new ContentHash(algorithm, hex);
        return true;
    }

    /// <summary>Returns the digest bytes.</summary>
    public byte[] GetDigest() => Convert.FromHexString(Hex);

    /// <summary>Returns the text form <c>algorithm:hex</c>.</summary>
    public override string ToString() => Hex is null ? string.Empty : Algorithm + ":" + Hex;

    private static bool IsLowerHex(string hex)
    {
        foreach (char c in hex)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int? ExpectedDigestLength(string algorithm) => algorithm switch
    {
        Xxh128 => 16,
        Sha256 => 32,
        _ => null,
    };
}
