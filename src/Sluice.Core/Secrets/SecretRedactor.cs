using System.Text;

namespace Sluice.Secrets;

/// <summary>Replaces every known secret in text with <c>***</c> before Sluice writes it anywhere: as written, URL-encoded, JSON-escaped, base64 (at any alignment) and hex.</summary>
/// <remarks>
/// Thread-safe: secrets may be added while other threads redact. Text is searched once for every form of
/// every secret together (a vectorized multi-string search), and comes back as the same instance when it
/// holds none, so redacting clean text allocates nothing. A redactor that knows no secrets costs one field read.
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>The text a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The shortest secret that is redacted; a shorter one would mask ordinary words and is skipped (see <see cref="Skipped"/>).</summary>
    public const int MinimumLength = SecretForms.MinimumFormLength;

    private readonly Lock _gate = new();
    private readonly List<(string Name, string Value)> _secrets = [];
    private readonly List<string> _skipped = [];
    private volatile SecretPatterns? _patterns;

    /// <summary>Gets a redactor that knows no secrets and returns text unchanged.</summary>
    public static SecretRedactor None { get; } = new();

    /// <summary>Gets whether any secret is known.</summary>
    public bool IsEmpty => _patterns is null;

    /// <summary>Gets the names of secrets too short to redact safely, which are left out.</summary>
    public IReadOnlyList<string> Skipped
    {
        get
        {
            lock (_gate)
            {
                return [.. _skipped];
            }
        }
    }

    /// <summary>Gets the compiled forms of every known secret, or null when none is known.</summary>
    internal SecretPatterns? Patterns => _patterns;

    /// <summary>Adds a secret value to redact, with no name to report it by.</summary>
    public void Add(string value) => Add("a secret", value);

    /// <summary>Adds a secret value to redact, named (for example by its configuration key) in messages that report it; returns false when it is empty or too short to redact and was left out.</summary>
    public bool Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return AddRange([(name, value)]) == 1;
    }

    /// <summary>Adds named secret values at once (their forms are compiled once); returns how many are redacted, leaving out empty and too short ones.</summary>
    public int AddRange(IEnumerable<(string Name, string Value)> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (ReferenceEquals(this, None))
        {
            return 0;
        }

        int added = 0;
        lock (_gate)
        {
            bool changed = false;
            foreach ((string name, string value) in secrets)
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (value.Length < MinimumLength)
                {
                    if (!_skipped.Contains(name, StringComparer.Ordinal))
                    {
                        _skipped.Add(name);
                    }

                    continue;
                }

                added++;
                if (!_secrets.Exists(s => s.Value == value))
                {
                    _secrets.Add((name, value));
                    changed = true;
                }
            }

            if (changed)
            {
                _patterns = new SecretPatterns(_secrets);
            }
        }

        return added;
    }

    /// <summary>Adds every secret another redactor knows.</summary>
    public void AddFrom(SecretRedactor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        (string Name, string Value)[] secrets;
        lock (other._gate)
        {
            secrets = [.. other._secrets];
        }

        AddRange(secrets);
    }

    /// <summary>Returns <paramref name="text"/> with every form of every known secret replaced by <see cref="Mask"/>; the same instance when there is none.</summary>
    public string Redact(string text)
    {
        SecretPatterns? patterns = _patterns;
        if (patterns is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        ReadOnlySpan<char> rest = text;
        int found = rest.IndexOfAny(patterns.Search);
        if (found < 0)
        {
            return text;
        }

        var redacted = new StringBuilder(text.Length);
        while (found >= 0)
        {
            redacted.Append(rest[..found]).Append(Mask);
            int match = patterns.MatchAt(rest[found..]);
            rest = rest[(found + patterns.LengthOf(match))..];
            found = rest.IndexOfAny(patterns.Search);
        }

        return redacted.Append(rest).ToString();
    }

    /// <summary>Returns <paramref name="text"/> redacted, or null for null.</summary>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>Finds the first secret in <paramref name="text"/>: its name and the form it is in (<c>raw</c>, <c>URL-encoded</c>, <c>JSON-escaped</c>, <c>base64</c>, <c>base64url</c>, <c>hex</c>).</summary>
    public bool TryFind(ReadOnlySpan<char> text, out string name, out string form)
    {
        (name, form) = ("", "");
        SecretPatterns? patterns = _patterns;
        int found = patterns is null ? -1 : text.IndexOfAny(patterns.Search);
        if (found < 0)
        {
            return false;
        }

        (name, form) = patterns!.OriginOf(patterns.MatchAt(text[found..]));
        return true;
    }
}
