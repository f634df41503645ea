using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Definitions;
using Sluice.Secrets;

namespace Sluice.Planning;

/// <summary>The identity of a step's work: equal fingerprints mean an earlier result may be reused.</summary>
/// <remarks>
/// The key is text in a documented, versioned format (docs/file-formats.md), hashed with SHA-256. It covers the
/// key-format version, pipeline, step, the step's declared version, the canonical JSON of every parameter section
/// the step takes, and the content hash of every step output it takes. It never hashes source code: a logic change
/// is declared with <c>Version(...)</c>. Order-only edges pass no data and are not part of it.
/// </remarks>
public sealed class Fingerprint
{
    /// <summary>The version of the key format; changing the format changes every fingerprint.</summary>
    public const int KeyFormatVersion = 1;

    private static readonly KeyValuePair<string, string>[] None = [];

    private string? _key;

    private Fingerprint(string pipeline, string step, string version, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> inputs)
    {
        Pipeline = pipeline;
        Step = step;
        Version = version;
        Parameters = parameters;
        Inputs = inputs;
        Digest = HashKey();
    }

    /// <summary>Gets the pipeline's name.</summary>
    public string Pipeline { get; }

    /// <summary>Gets the step's name.</summary>
    public string Step { get; }

    /// <summary>Gets the step's declared version.</summary>
    public string Version { get; }

    /// <summary>Gets each parameter section the step takes, with its canonical JSON, in section order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Gets each step output the step takes, with its content hash, in the step's input order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Inputs { get; }

    /// <summary>Gets the exact text that is hashed.</summary>
    /// <remarks>Built on first use: deciding reuse needs only <see cref="Value"/>, which is hashed from the same text without making a string of it.</remarks>
    public string Key => _key ??= BuildKey();

    /// <summary>Gets the SHA-256 of <see cref="Key"/>, 64 lower-case hex digits.</summary>
    /// <remarks>Written on first use: deciding reuse compares <see cref="Digest"/>, and a reused step never needs the text.</remarks>
    public string Value => field ??= Digest.ToString();

    /// <summary>Gets the first 8 hex digits, for display.</summary>
    public string Abbreviated => field ??= Value[..8];

    /// <summary>Gets the SHA-256 of <see cref="Key"/> as numbers.</summary>
    internal FingerprintDigest Digest { get; }

    /// <summary>Computes a step's fingerprint from its bound parameters and the content hashes of its step inputs.</summary>
    /// <param name="pipeline">The pipeline's name.</param>
    /// <param name="step">The step.</param>
    /// <param name="parameters">The bound parameter sections, by section name.</param>
    /// <param name="inputHashes">The content hash of each producing step's output, by step name.</param>
    /// <param name="secrets">Secrets kept out of the key: a parameter value that shows one is keyed as <c>"***"</c> (a <see cref="Secret"/> always is).</param>
    public static Fingerprint Compute(string pipeline, StepDefinition step, IReadOnlyDictionary<string, object> parameters, IReadOnlyDictionary<string, string> inputHashes, SecretRedactor? secrets = null) =>
        Compute(pipeline, step, parameters, inputHashes, secrets, null);

    /// <summary>Computes a fingerprint, taking each parameter section's canonical JSON from <paramref name="canonical"/> when it holds it (a run's parameters never change, so one gate computes each section once).</summary>
    internal static Fingerprint Compute(string pipeline, StepDefinition step, IReadOnlyDictionary<string, object> parameters, IReadOnlyDictionary<string, string> inputHashes, SecretRedactor? secrets, ConcurrentDictionary<string, string>? canonical)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputHashes);

        // Most steps take no parameters and one or two step outputs: no sorted map and an exact-size list for them.
        SortedDictionary<string, string>? sections = null;
        Artifact[] declared = step.InputArray;
        List<KeyValuePair<string, string>>? fromSets = null;
        var inputs = new KeyValuePair<string, string>[CountKeyed(declared)];
        int count = 0;
        foreach (Artifact input in declared)
        {
            if (input.Source == ArtifactSource.Parameters)
            {
                sections ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
                sections[input.Name] = canonical is null
                    ? CanonicalJson(parameters[input.Name], input.ValueType, secrets)
                    : canonical.GetOrAdd(input.Name, (name, a) => CanonicalJson(a.Parameters[name], a.Type, a.Secrets), (Parameters: parameters, Type: input.ValueType, Secrets: secrets));
            }
            else if (input.Source == ArtifactSource.FileSet)
            {
                // The set's files in path order: which files are chosen and what they hold is the content; their listing order is not.
                string prefix = FileInputs.KeyPrefix(input);
                fromSets ??= [.. inputs.AsSpan(0, count)];
                fromSets.AddRange(inputHashes.Where(h => h.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(h => h.Key, StringComparer.Ordinal));
            }
            else
            {
                string key = InputKey(input);
                KeyValuePair<string, string> pair = new(key, inputHashes[key]);
                if (fromSets is null)
                {
                    inputs[count++] = pair;
                }
                else
                {
                    fromSets.Add(pair);
                }
            }
        }

        if (step.Command is { } command)
        {
            sections ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
            sections[CommandFingerprint.Section] = CommandFingerprint.Json(command);
        }

        return new Fingerprint(pipeline, step.Name, step.Version, sections is null ? None : [.. sections], fromSets is not null ? fromSets : count == 0 ? None : inputs);
    }

    // Inputs keyed one to one (step outputs and single files): a step without file sets gets an exact-size array and no list.
    private static int CountKeyed(Artifact[] inputs)
    {
        int count = 0;
        foreach (Artifact input in inputs)
        {
            count += input.Source is ArtifactSource.Parameters or ArtifactSource.FileSet ? 0 : 1;
        }

        return count;
    }

    /// <summary>Rebuilds a fingerprint from its stored key text, to explain what changed since it was recorded.</summary>
    /// <exception cref="FormatException">The text is not a key of a format this code knows.</exception>
    public static Fingerprint FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string[] lines = key.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 4 || lines[0] != $"sluice-fingerprint/{KeyFormatVersion}")
        {
            throw new FormatException($"Not a version {KeyFormatVersion} fingerprint key: '{(lines.Length > 0 ? lines[0] : "")}'.");
        }

        string Field(string line, string name) =>
            line.StartsWith(name + " ", StringComparison.Ordinal)
                ? ReadQuoted(line, name.Length + 1, out _)
                : throw new FormatException($"Expected '{name}' in fingerprint key line '{line}'.");

        string pipeline = Field(lines[1], "pipeline");
        string step = Field(lines[2], "step");
        string version = Field(lines[3], "version");
        var parameters = new List<KeyValuePair<string, string>>();
        var inputs = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(4))
        {
            if (line.StartsWith("parameters ", StringComparison.Ordinal))
            {
                string section = ReadQuoted(line, "parameters ".Length, out int end);
                parameters.Add(new(section, line[(end + 1)..]));
            }
            else if (line.StartsWith("input ", StringComparison.Ordinal))
            {
                string name = ReadQuoted(line, "input ".Length, out int end);
                inputs.Add(new(name, ReadQuoted(line, end + 1, out _)));
            }
            else
            {
                throw new FormatException($"Unknown fingerprint key line '{line}'.");
            }
        }

        return new Fingerprint(pipeline, step, version, parameters, inputs);
    }

    /// <summary>Returns the name an input has in a fingerprint: the producing step's name, or <c>file:</c> and the path for a project file.</summary>
    public static string InputKey(Artifact input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Source == ArtifactSource.File ? "file:" + input.Name : input.Name;
    }

    /// <summary>Says in words why <paramref name="current"/> differs from <paramref name="previous"/>, such as "version 1 -> 2" or "parameter Model.Window 500 -> 250".</summary>
    /// <returns>The reasons, most fundamental first; empty when the fingerprints are equal.</returns>
    public static IReadOnlyList<string> Explain(Fingerprint previous, Fingerprint current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var reasons = new List<string>();
        if (previous.Digest == current.Digest)
        {
            return reasons;
        }

        if (previous.Version != current.Version)
        {
            reasons.Add($"version {previous.Version} -> {current.Version}");
        }

        Dictionary<string, string> before = Flatten(previous.Parameters);
        Dictionary<string, string> after = Flatten(current.Parameters);
        foreach (string key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            string? was = before.GetValueOrDefault(key);
            string? now = after.GetValueOrDefault(key);
            if (was != now)
            {
                reasons.Add($"parameter {key} {was ?? "(unset)"} -> {now ?? "(unset)"}");
            }
        }

        var inputsBefore = previous.Inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
        foreach ((string name, string hash) in current.Inputs)
        {
            if (!inputsBefore.TryGetValue(name, out string? was))
            {
                reasons.Add($"new input '{name}'");
            }
            else if (was != hash)
            {
                reasons.Add($"input '{name}' changed ({Abbreviate(was)} -> {Abbreviate(hash)})");
            }
        }

        foreach (string name in inputsBefore.Keys.Except(current.Inputs.Select(i => i.Key)))
        {
            reasons.Add($"input '{name}' removed");
        }

        if (reasons.Count == 0)
        {
            // Same parts, different key: the pipeline, step name or key format changed.
            reasons.Add(previous.Key.StartsWith($"sluice-fingerprint/{KeyFormatVersion}\n", StringComparison.Ordinal)
                ? "identity changed"
                : "fingerprint format changed");
        }

        return reasons;
    }

    /// <summary>Returns the canonical JSON of a parameters object: keys sorted ordinally at every level, no whitespace, enums by name.</summary>
    internal static string CanonicalJson(object value, Type type, SecretRedactor? secrets = null) =>
        Configuration.CanonicalJson.Write(value, type, secrets);

    private static Dictionary<string, string> Flatten(IReadOnlyList<KeyValuePair<string, string>> sections)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string section, string json) in sections)
        {
            Flatten(JsonNode.Parse(json), section, leaves);
        }

        return leaves;
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    Flatten(property.Value, $"{path}.{property.Key}", leaves);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), leaves);
                }

                break;
            default:
                leaves[path] = node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "null";
                break;
        }
    }

    // Reads the JSON string starting at 'start' and returns its value; 'end' is the index just past its closing quote.
    private static string ReadQuoted(string line, int start, out int end)
    {
        if (start >= line.Length || line[start] != '"')
        {
            throw new FormatException($"Expected a quoted value at column {start + 1} of '{line}'.");
        }

        int i = start + 1;
        while (i < line.Length && line[i] != '"')
        {
            i += line[i] == '\\' ? 2 : 1;
        }

        end = i + 1;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line[start..end]));
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException($"Expected a JSON string at column {start + 1} of '{line}'.");
    }

    private static string Abbreviate(string hash)
    {
        int colon = hash.IndexOf(':', StringComparison.Ordinal);
        string digits = colon >= 0 ? hash[(colon + 1)..] : hash;
        return digits.Length > 8 ? digits[..8] : digits;
    }

    private string BuildKey()
    {
        var key = new KeyText(128 + (96 * Inputs.Count));
        try
        {
            WriteKey(ref key);
            return key.Written.ToString();
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Loads the platform's SHA-256 now, on the calling thread, so the first fingerprint does not wait for it.</summary>
    /// <remarks>
    /// On Linux, .NET's SHA-256 is OpenSSL's, loaded on first use: 10-15 ms of relocating libssl and libcrypto. A run
    /// calls this on the spare core while the pipeline is being defined; otherwise the first step's fingerprint would
    /// pay it on the path every other step waits behind (docs/benchmarks.md).
    /// </remarks>
    public static void LoadHasher()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData([], digest);
    }

    // SHA-256 of the key's UTF-8 bytes, from pooled buffers: a no-op re-run fingerprints every step and keeps no key text.
    private FingerprintDigest HashKey()
    {
        var key = new KeyText(128 + (96 * Inputs.Count));
        byte[]? rented = null;
        try
        {
            WriteKey(ref key);
            ReadOnlySpan<char> text = key.Written;
            int max = Encoding.UTF8.GetMaxByteCount(text.Length);
            Span<byte> bytes = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
            int length = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..length], digest);
            return FingerprintDigest.FromBytes(digest);
        }
        finally
        {
            key.Dispose();
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void WriteKey(ref KeyText key)
    {
        // One field per line, each value JSON-quoted so no value can forge a line of another field.
        key.Append("sluice-fingerprint/");
        key.Append(KeyFormatVersion.ToString(CultureInfo.InvariantCulture));
        key.Append("\npipeline ");
        key.AppendQuoted(Pipeline);
        key.Append("\nstep ");
        key.AppendQuoted(Step);
        key.Append("\nversion ");
        key.AppendQuoted(Version);
        key.Append('\n');
        // Indexed loops: a foreach over the IReadOnlyLists would make two enumerator objects per fingerprint.
        for (int i = 0; i < Parameters.Count; i++)
        {
            (string section, string json) = Parameters[i];
            key.Append("parameters ");
            key.AppendQuoted(section);
            key.Append(' ');
            key.Append(json);
            key.Append('\n');
        }

        for (int i = 0; i < Inputs.Count; i++)
        {
            (string name, string hash) = Inputs[i];
            key.Append("input ");
            key.AppendQuoted(name);
            key.Append(' ');
            key.AppendQuoted(hash);
            key.Append('\n');
        }
    }

    /// <summary>Returns whether <c>JsonSerializer.Serialize(value)</c> writes <paramref name="value"/> as it is between two quotes.</summary>
    private static bool IsPlain(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or ' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The key's text in a pooled buffer: hashing it needs no string.</summary>
    private struct KeyText(int capacity) : IDisposable
    {
        private char[] _buffer = ArrayPool<char>.Shared.Rent(capacity);
        private int _length;

        public readonly ReadOnlySpan<char> Written => _buffer.AsSpan(0, _length);

        public void Append(char c)
        {
            Reserve(1);
            _buffer[_length++] = c;
        }

        public void Append(string text)
        {
            Reserve(text.Length);
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }

        public void AppendQuoted(string value)
        {
            if (!IsPlain(value))
            {
                Append(Configuration.CanonicalJson.Quote(value));
                return;
            }

            Reserve(value.Length + 2);
            _buffer[_length++] = '"';
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
            _buffer[_length++] = '"';
        }

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = [];
        }

        private void Reserve(int more)
        {
            if (_length + more <= _buffer.Length)
            {
                return;
            }

            char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            Written.CopyTo(larger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>Appends <paramref name="value"/> exactly as <c>JsonSerializer.Serialize(value)</c> writes it.</summary>
    /// <remarks>Names and hashes are almost always made of characters the serializer leaves alone; those are quoted directly, which is most of the cost of fingerprinting a large graph.</remarks>
    internal static StringBuilder AppendQuoted(StringBuilder key, string value) =>
        IsPlain(value) ? key.Append('"').Append(value).Append('"') : key.Append(Configuration.CanonicalJson.Quote(value));
}
