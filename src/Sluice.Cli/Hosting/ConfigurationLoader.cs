using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using Sluice.Definitions;

namespace Sluice.Cli.Hosting;

/// <summary>Builds a project's configuration from, in increasing precedence: values the pipeline definition carries (a <c>sluice.yaml</c>'s <c>schedule</c> and <c>alerts</c>), <c>config/appsettings.json</c>, <c>config/appsettings.&lt;SLUICE_ENVIRONMENT&gt;.json</c>, user-secrets, <c>config/secrets.json</c> and <c>SLUICE_</c> environment variables.</summary>
/// <remarks>
/// User-secrets and <c>config/secrets.json</c> live outside what is committed: every value in them is a secret.
/// The process environment is passed in, never read here, so tests control it.
/// </remarks>
internal static class ConfigurationLoader
{
    /// <summary>The prefix of environment variables that override settings (<c>SLUICE_Model__Window=250</c>).</summary>
    public const string Prefix = "SLUICE_";

    /// <summary>The variable naming the user-secrets id when the app's assembly declares none.</summary>
    public const string UserSecretsIdVariable = "SLUICE_USER_SECRETS_ID";

    /// <summary>The git-ignored secrets file, in the configuration folder.</summary>
    public const string SecretsFile = "secrets.json";

    /// <summary>Returns the merged configuration only.</summary>
    public static IConfigurationRoot Load(ProjectPaths paths, IReadOnlyDictionary<string, string> variables) =>
        Read(paths, variables).Merged;

    /// <summary>Reads every layer and merges them; a file that is not valid JSON throws <see cref="InvalidDataException"/> naming it.</summary>
    /// <param name="paths">The project.</param>
    /// <param name="variables">The process environment.</param>
    /// <param name="entryAssembly">The app whose <c>UserSecretsId</c> names its user-secrets. Default: the process's entry assembly.</param>
    /// <param name="definition">Values the pipeline's definition carries (a <c>sluice.yaml</c>'s schedule and alerts): the lowest layer.</param>
    public static ProjectConfiguration Read(ProjectPaths paths, IReadOnlyDictionary<string, string> variables, Assembly? entryAssembly = null, IReadOnlyList<PipelineSetting>? definition = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(variables);
        string? environment = variables.GetValueOrDefault("SLUICE_ENVIRONMENT") is { Length: > 0 } e ? e : null;
        string folder = paths.ConfigDirectory.Length > 0 && Directory.Exists(paths.ConfigDirectory) ? paths.ConfigDirectory : paths.Root;
        var layers = new List<ConfigurationLayer>();
        if (definition is { Count: > 0 })
        {
            layers.Add(DefinitionLayer(definition));
        }

        layers.Add(JsonLayer(paths, Path.Combine(folder, "appsettings.json"), ConfigurationLayerKind.Committed));
        if (environment is not null)
        {
            layers.Add(JsonLayer(paths, Path.Combine(folder, $"appsettings.{environment}.json"), ConfigurationLayerKind.Committed));
        }

        string? userSecretsId = variables.GetValueOrDefault(UserSecretsIdVariable) is { Length: > 0 } id
            ? id
            : (entryAssembly ?? Assembly.GetEntryAssembly())?.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        if (userSecretsId is not null)
        {
            layers.Add(JsonLayer(paths, UserSecretsPath(userSecretsId, variables), ConfigurationLayerKind.Secret, "user-secrets"));
        }

        layers.Add(JsonLayer(paths, Path.Combine(folder, SecretsFile), ConfigurationLayerKind.Secret));
        layers.Add(EnvironmentLayer(variables));

        var builder = new ConfigurationBuilder();
        foreach (ConfigurationLayer layer in layers)
        {
            builder.AddInMemoryCollection(layer.Values);
        }

        return new ProjectConfiguration(IndexedConfigurationProvider.Snapshot(builder.Build()), layers, environment, userSecretsId);
    }

    /// <summary>Returns where the user-secrets of <paramref name="id"/> are kept, as <c>dotnet user-secrets</c> keeps them, from the given environment.</summary>
    internal static string UserSecretsPath(string id, IReadOnlyDictionary<string, string> variables)
    {
        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id is "." or "..")
        {
            throw new InvalidDataException($"The user-secrets id '{id}' is not usable as a folder name: give the UserSecretsId (or {UserSecretsIdVariable}) letters, digits, '-' and '_' only.");
        }

        // The same places Microsoft.Extensions.Configuration.UserSecrets looks, read from the environment passed in.
        if (variables.GetValueOrDefault("APPDATA") is { Length: > 0 } appData)
        {
            return Path.Combine(appData, "Microsoft", "UserSecrets", id, "secrets.json");
        }

        return variables.GetValueOrDefault("HOME") is { Length: > 0 } home
            ? Path.Combine(home, ".microsoft", "usersecrets", id, "secrets.json")
            : PathHelper.GetSecretsPathFromSecretsId(id);
    }

    private static ConfigurationLayer JsonLayer(ProjectPaths paths, string path, ConfigurationLayerKind kind, string? name = null)
    {
        name ??= paths.Relative(path).Replace('\\', '/');
        var provider = new JsonLayerProvider();
        if (File.Exists(path))
        {
            try
            {
                using FileStream stream = File.OpenRead(path);
                provider.Load(stream);
            }
            catch (FormatException e)
            {
                // The parser's message quotes the text it choked on, which in a secrets file may be part of a secret.
                string where = e.InnerException is JsonException json && json.LineNumber is { } line ? $" at line {line + 1}" : "";
                string detail = kind == ConfigurationLayerKind.Secret ? "" : $": {e.InnerException?.Message ?? e.Message}";
                throw new InvalidDataException($"{name} ({path}) is not valid JSON{where}{detail}. Write it as one JSON object, such as {{\"Section\": {{\"Key\": \"value\"}}}}.");
            }
        }

        return new ConfigurationLayer(name, kind, path, provider.Values);
    }

    private static ConfigurationLayer DefinitionLayer(IReadOnlyList<PipelineSetting> settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var locations = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (PipelineSetting setting in settings)
        {
            values[setting.Key] = setting.Value;
            locations[setting.Key] = setting.Source;
        }

        // Named after the file the values came from (sluice.yaml), without the line of the first one.
        string name = settings.Select(s => s.Source).FirstOrDefault(s => s is not null) is { } first && first.IndexOf(':', StringComparison.Ordinal) is int colon and > 0
            ? first[..colon]
            : "the pipeline definition";
        return new ConfigurationLayer(name, ConfigurationLayerKind.Committed, null, values, locations: locations);
    }

    private static ConfigurationLayer EnvironmentLayer(IReadOnlyDictionary<string, string> variables)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        // Only names with a '__' are settings (SLUICE_Section__Key); the rest (SLUICE_ENVIRONMENT, SLUICE_DEBUG...) are switches of Sluice itself.
        foreach ((string variable, string value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && variable.Contains("__", StringComparison.Ordinal))
            {
                string key = variable[Prefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                values[key] = value;
                names[key] = variable;
            }
        }

        return new ConfigurationLayer("env", ConfigurationLayerKind.Environment, null, values, names);
    }

    /// <summary>The stock JSON provider, with its parsed keys readable (they are protected there).</summary>
    private sealed class JsonLayerProvider() : JsonConfigurationProvider(new JsonConfigurationSource())
    {
        public IReadOnlyDictionary<string, string?> Values => new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);
    }
}
