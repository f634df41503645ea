using System.Buffers.Binary;

namespace Sluice.Planning;

/// <summary>A fingerprint's SHA-256 as four numbers: what deciding reuse compares, without the 64-digit text of <see cref="Fingerprint.Value"/>.</summary>
internal readonly record struct FingerprintDigest(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Gets how many bytes a digest has.</summary>
    public const int Size = 32;

    /// <summary>Reads a digest from its 32 bytes.</summary>
    public static FingerprintDigest FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    /// <summary>Reads a digest from the text <see cref="Fingerprint.Value"/> has: exactly 64 lower-case hex digits, so text that would never have equalled a fingerprint's never matches one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out FingerprintDigest digest)
    {
        // Narrowed to ASCII bytes (anything else is refused), then read as a store's bytes are.
        Span<byte> ascii = stackalloc byte[Size * 2];
        digest = default;
        return text.Length == ascii.Length
            && System.Text.Ascii.FromUtf16(text, ascii, out _) == System.Buffers.OperationStatus.Done
            && TryParse(ascii, out digest);
    }

    /// <summary>Reads a digest from the UTF-8 bytes of that text, as a store holds them, on the same terms as the text overload.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out FingerprintDigest digest)
    {
        digest = default;
        if (utf8.Length != Size * 2)
        {
            return false;
        }

        foreach (byte b in utf8)
        {
            if (!char.IsAsciiDigit((char)b) && !char.IsAsciiHexDigitLower((char)b))
            {
                return false;
            }
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(utf8, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        digest = FromBytes(bytes);
        return true;
    }

    /// <summary>Writes the 64 lower-case hex digits.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Writes the first <paramref name="hex"/>.Length hex digits (at most 16).</summary>
    public void WritePrefix(Span<char> hex)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        Span<char> all = stackalloc char[16];
        Convert.TryToHexStringLower(bytes, all, out _);
        all[..hex.Length].CopyTo(hex);
    }

    // The digest is a cryptographic hash: any 32 of its bits spread as well as all of them.
    public override int GetHashCode() => (int)A;

    public bool Equals(FingerprintDigest other) => A == other.A && B == other.B && C == other.C && D == other.D;

    private void WriteBytes(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], D);
    }
}
