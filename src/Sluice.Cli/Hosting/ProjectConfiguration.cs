using Microsoft.Extensions.Configuration;

namespace Sluice.Cli.Hosting;

/// <summary>A project's settings as merged for binding, with the layers they were merged from, so each key's source can be told.</summary>
internal sealed class ProjectConfiguration(IConfigurationRoot merged, IReadOnlyList<ConfigurationLayer> layers, string? environment, string? userSecretsId)
{
    /// <summary>Gets the merged settings (later layers win), indexed for fast binding.</summary>
    public IConfigurationRoot Merged => merged;

    /// <summary>Gets the layers, lowest precedence first.</summary>
    public IReadOnlyList<ConfigurationLayer> Layers => layers;

    /// <summary>Gets the environment name from <c>SLUICE_ENVIRONMENT</c>, if set.</summary>
    public string? Environment => environment;

    /// <summary>Gets the user-secrets id in use, if any.</summary>
    public string? UserSecretsId => userSecretsId;

    /// <summary>Returns the layer whose value of <paramref name="key"/> wins, or null when no layer sets it (the default applies).</summary>
    public ConfigurationLayer? LayerOf(string key)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i].Values.ContainsKey(key))
            {
                return layers[i];
            }
        }

        return null;
    }

    /// <summary>Returns every non-empty value set in a secret layer, named by its key: each is a secret whatever it binds to.</summary>
    public IEnumerable<(string Key, string Value)> SecretValues() =>
        layers.Where(l => l.Kind == ConfigurationLayerKind.Secret)
            .SelectMany(l => l.Values)
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .Select(v => (v.Key, v.Value!));
}
