using System.Text.Json;
using Sluice.Definitions;

namespace StockForecaster.Sources;

/// <summary>Reads a secret from the environment variable of the same name, then from the project's git-ignored <c>config/secrets.json</c> (a flat object of names to strings).</summary>
public sealed class ProjectSecretSource : ISecretSource
{
    /// <summary>Locates the secrets file, relative to the project folder; git-ignored by <c>config/.gitignore</c>.</summary>
    public const string FileName = "config/secrets.json";

    private readonly Func<string, string?> _environment;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _file;

    /// <summary>Creates a source for the project in <paramref name="projectDirectory"/>; <paramref name="environment"/> replaces the process environment (for tests).</summary>
    public ProjectSecretSource(string projectDirectory, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        FilePath = System.IO.Path.Combine(projectDirectory, FileName);
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _file = new Lazy<IReadOnlyDictionary<string, string>>(ReadFile, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the full path of the secrets file, which need not exist.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public string? Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string? value = _environment(name);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        return _file.Value.TryGetValue(name, out string? stored) && stored.Length > 0 ? stored : null;
    }

    /// <inheritdoc/>
    public string DescribeLookup(string name) => $"the environment variable {name} and the entry \"{name}\" of {FilePath}";

    private Dictionary<string, string> ReadFile()
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return secrets;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DataValidationException($"{FilePath} must hold one JSON object of names to strings, like {{\"ALPHAVANTAGE_API_KEY\": \"...\"}}.");
            }

            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                // Only the entry's name goes into the message: its value is a secret.
                secrets[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                    ? entry.Value.GetString()!
                    : throw new DataValidationException($"Entry \"{entry.Name}\" of {FilePath} is not a string: write secrets as \"NAME\": \"value\".");
            }
        }
        catch (JsonException e)
        {
            // The parser's own message quotes the offending character, which may belong to a secret: report the position only.
            throw new DataValidationException($"{FilePath} is not valid JSON (line {e.LineNumber + 1}): write it as {{\"NAME\": \"value\"}}.");
        }

        return secrets;
    }
}
