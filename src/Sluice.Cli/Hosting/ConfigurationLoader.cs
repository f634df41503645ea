using Microsoft.Extensions.Configuration;

namespace Sluice.Cli.Hosting;

/// <summary>Builds a project's configuration: <c>config/appsettings.json</c>, then <c>config/appsettings.&lt;Environment&gt;.json</c>, then <c>SLUICE_</c> environment variables.</summary>
internal static class ConfigurationLoader
{
    /// <summary>The prefix of environment variables that override settings (<c>SLUICE_Model__Window=250</c>).</summary>
    public const string Prefix = "SLUICE_";

    public static IConfigurationRoot Load(ProjectPaths paths, IReadOnlyDictionary<string, string> variables)
    {
        string? environment = variables.GetValueOrDefault("SLUICE_ENVIRONMENT");
        var builder = new ConfigurationBuilder()
            .SetBasePath(paths.ConfigDirectory.Length > 0 && Directory.Exists(paths.ConfigDirectory) ? paths.ConfigDirectory : paths.Root)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (!string.IsNullOrEmpty(environment))
        {
            builder.AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false);
        }

        // The process environment is passed in (not read here) so tests can control it.
        builder.AddInMemoryCollection(variables
            .Where(v => v.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && v.Key != "SLUICE_ENVIRONMENT" && v.Key != "SLUICE_PROJECT_DIR")
            .Select(v => new KeyValuePair<string, string?>(v.Key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal), v.Value)));
        return IndexedConfigurationProvider.Snapshot(builder.Build());
    }
}
