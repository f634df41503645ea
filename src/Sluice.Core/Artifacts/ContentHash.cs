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

    // The text form is kept whole, so parsing a stored hash and writing it out again allocate nothing: a no-op
    // re-run of a large pipeline reads one from every checkpoint and quotes it in the next step's fingerprint.
    private readonly string _text;

    private ContentHash(string algorithm, string text)
    {
        Algorithm = algorithm;
        _text = text;
    }

    /// <summary>Gets the algorithm id, such as <c>xxh128</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the digest as lower-case hex.</summary>
    public string Hex => _text is null ? null! : _text[(Algorithm.Length + 1)..];

    /// <summary>Gets the digest as lower-case hex, without making a string of it.</summary>
    public ReadOnlySpan<char> HexSpan => _text is null ? default : _text.AsSpan(Algorithm.Length + 1);

    /// <summary>Gets the first eight hex digits, for display.</summary>
    public string ShortHex => _text is null ? string.Empty : _text.Substring(Algorithm.Length + 1, Math.Min(8, _text.Length - Algorithm.Length - 1));

    /// <summary>Creates a hash from an algorithm id and its digest bytes.</summary>
    public static ContentHash FromDigest(string algorithm, ReadOnlySpan<byte> digest)
    {
        if (KnownAlgorithm(algorithm) is not { } known || digest.Length != ExpectedDigestLength(known))
        {
            throw new ArgumentException($"A '{algorithm}' digest of {digest.Length} bytes is not valid; known algorithms: {Xxh128} (16 bytes), {Sha256} (32 bytes).", nameof(digest));
        }

        Span<char> text = stackalloc char[known.Length + 1 + (digest.Length * 2)];
        known.CopyTo(text);
        text[known.Length] = ':';
        Convert.TryToHexStringLower(digest, text[(known.Length + 1)..], out _);
        return new ContentHash(known, new string(text));
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

        ReadOnlySpan<char> hex = text.AsSpan(colon + 1);
        if (KnownAlgorithm(text.AsSpan(0, colon)) is not { } algorithm || hex.Length != ExpectedDigestLength(algorithm) * 2 || !IsLowerHex(hex))
        {
            return false;
        }

        hash = new ContentHash(algorithm, text!);
        return true;
    }

    /// <summary>Returns the digest bytes.</summary>
    public byte[] GetDigest() => Convert.FromHexString(HexSpan);

    /// <summary>Returns the text form <c>algorithm:hex</c>.</summary>
    public override string ToString() => _text ?? string.Empty;

    private static bool IsLowerHex(ReadOnlySpan<char> hex)
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

    // The shared constant, so a parsed hash holds no string of its own for the algorithm.
    private static string? KnownAlgorithm(ReadOnlySpan<char> algorithm) =>
        algorithm.SequenceEqual(Xxh128) ? Xxh128 : algorithm.SequenceEqual(Sha256) ? Sha256 : null;

    private static int ExpectedDigestLength(string algorithm) => ReferenceEquals(algorithm, Xxh128) ? 16 : 32;
}
