namespace Sluice.Cli.Hosting;

/// <summary>One source of settings, as read: a JSON file, user-secrets or the <c>SLUICE_</c> environment variables.</summary>
internal sealed class ConfigurationLayer
{
    private readonly IReadOnlyDictionary<string, string>? _variables;
    private readonly IReadOnlyDictionary<string, string?>? _locations;

    public ConfigurationLayer(string name, ConfigurationLayerKind kind, string? path, IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, string>? variables = null, IReadOnlyDictionary<string, string?>? locations = null)
    {
        _locations = locations;
        Name = name;
        Kind = kind;
        Path = path;
        Values = values;
        _variables = variables;
    }

    /// <summary>Gets the name a person knows it by: <c>config/appsettings.json</c>, <c>user-secrets</c>, <c>env</c>.</summary>
    public string Name { get; }

    /// <summary>Gets whether it is committed with the project, holds secrets, or is the environment.</summary>
    public ConfigurationLayerKind Kind { get; }

    /// <summary>Gets the file it was read from, or null for the environment.</summary>
    public string? Path { get; }

    /// <summary>Gets every key it sets (paths joined with ':', any case) with its value.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>Gets whether its file exists (always true for the environment).</summary>
    public bool Exists => Path is null || File.Exists(Path);

    /// <summary>Returns where <paramref name="key"/> comes from in words: the file, <c>user-secrets</c>, or <c>env SLUICE_Model__Window</c>.</summary>
    public string SourceOf(string key) =>
        _variables is not null && _variables.TryGetValue(key, out string? variable) ? $"env {variable}"
        : LocationOf(key) ?? Name;

    /// <summary>Returns the place in a file that sets <paramref name="key"/> (<c>sluice.yaml:12:5</c>), when the layer knows it.</summary>
    public string? LocationOf(string key) => _locations is not null && _locations.TryGetValue(key, out string? at) ? at : null;
}

/// <summary>What kind of source a <see cref="ConfigurationLayer"/> is.</summary>
internal enum ConfigurationLayerKind
{
    /// <summary>A file committed with the project (<c>config/appsettings*.json</c>): no secrets allowed.</summary>
    Committed,

    /// <summary>A source kept out of the repository (user-secrets, <c>config/secrets.json</c>): every value in it is a secret.</summary>
    Secret,

    /// <summary>The <c>SLUICE_</c> environment variables.</summary>
    Environment,
}
