using System.Buffers;
using System.Text;

namespace Sluice.Secrets;

/// <summary>Every form of every known secret, compiled for one vectorized multi-string search; immutable, replaced whole when a secret is added.</summary>
internal sealed class SecretPatterns
{
    private readonly string[] _texts;
    private readonly (string Name, string Form)[] _origins;

    public SecretPatterns(IEnumerable<(string Name, string Value)> secrets)
    {
        var texts = new List<string>();
        var origins = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, string value) in secrets)
        {
            foreach ((string form, string text) in SecretForms.Of(value))
            {
                if (seen.Add(text))
                {
                    texts.Add(text);
                    origins.Add((name, form));
                }
            }
        }

        // Longest first, so where several forms start at one place the whole of the longest is masked.
        int[] order = [.. Enumerable.Range(0, texts.Count).OrderByDescending(i => texts[i].Length).ThenBy(i => i)];
        _texts = [.. order.Select(i => texts[i])];
        _origins = [.. order.Select(i => origins[i])];
        Search = SearchValues.Create(_texts, StringComparison.Ordinal);
        MaxUtf8Length = _texts.Length == 0 ? 0 : _texts.Max(Encoding.UTF8.GetByteCount);
    }

    /// <summary>Gets the compiled search over every form.</summary>
    public SearchValues<string> Search { get; }

    /// <summary>Gets the UTF-8 length of the longest form, which bounds how far a match can straddle two buffers.</summary>
    public int MaxUtf8Length { get; }

    /// <summary>Gets how many forms are searched for.</summary>
    public int Count => _texts.Length;

    /// <summary>Returns the index of the longest form that starts <paramref name="text"/>, or -1.</summary>
    public int MatchAt(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < _texts.Length; i++)
        {
            if (text.StartsWith(_texts[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Returns the length of form <paramref name="index"/>.</summary>
    public int LengthOf(int index) => _texts[index].Length;

    /// <summary>Returns which secret form <paramref name="index"/> belongs to, and which form it is.</summary>
    public (string Name, string Form) OriginOf(int index) => _origins[index];
}
