using Microsoft.Extensions.Configuration;
using Sluice.Configuration;
using Sluice.Definitions;
using Sluice.Secrets;

namespace Sluice.Cli.Hosting;

/// <summary>Reads a project's configuration, learns its secrets, and binds the pipeline's parameters and Sluice's settings, reporting every problem at once.</summary>
internal static class SettingsBinder
{
    /// <summary>Binds everything; adds every secret found to <paramref name="secrets"/> (before binding, so even problem messages are redacted) and throws <see cref="PipelineDefinitionException"/> listing every problem.</summary>
    /// <param name="pipeline">The pipeline whose parameter sections are bound.</param>
    /// <param name="configuration">The project's configuration, read by <see cref="ConfigurationLoader.Read"/>.</param>
    /// <param name="secrets">Receives every secret value, named by its key.</param>
    public static ProjectSettings Bind(Pipeline pipeline, ProjectConfiguration configuration, SecretRedactor secrets)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(secrets);
        IConfiguration merged = configuration.Merged;

        // A value is a secret when it comes from a secret source, or when it binds to a Secret property, whatever its source.
        var secretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (ParameterDefinition parameter in pipeline.Parameters)
        {
            SecretKeys.Find(merged, parameter.Section, parameter.Type, secretKeys);
        }

        SecretKeys.Find(merged, SluiceSettings.Section, typeof(SluiceSettings), secretKeys);

        // A command step's variable read from a setting is a secret by declaration, wherever the setting is set.
        var problems = new List<string>();
        foreach ((StepDefinition step, CommandVariable variable) in SettingVariables(pipeline))
        {
            string key = variable.Setting!;
            if (merged[key] is { Length: > 0 })
            {
                secretKeys.Add(key);
            }
            else
            {
                string variableName = ConfigurationLoader.Prefix + key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal);
                problems.Add($"Step '{step.Name}' passes the secret setting '{key}' as environment variable {variable.Name}, but no configuration sets it: "
                    + $"put it in config/{ConfigurationLoader.SecretsFile} (git-ignored), in user-secrets, or in the environment variable {variableName}.");
            }
        }

        secrets.AddRange(configuration.SecretValues().Concat(secretKeys.Select(k => (k, merged[k] ?? ""))));

        IReadOnlyDictionary<string, object>? parameters = null;
        try
        {
            parameters = ParameterBinder.Bind(pipeline, merged);
        }
        catch (PipelineDefinitionException e)
        {
            problems.AddRange(e.Problems);
        }

        var sluice = ParameterBinder.BindSection(merged, SluiceSettings.Section, typeof(SluiceSettings), problems) as SluiceSettings;
        problems.AddRange(UnknownSections(pipeline, configuration));
        problems.AddRange(SecretsInCommittedFiles(configuration, secretKeys));
        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(pipeline.Name, [.. problems.Select(p => secrets.Redact(Located(p, configuration)))]);
        }

        // A Secret given a default in code is a secret too, though no configuration names it.
        secrets.AddRange(Leaves(pipeline, parameters!, sluice!)
            .Where(l => l.Value is Secret)
            .Select(l => (l.Path, ((Secret)l.Value!).Reveal())));

        // A command step's secret environment value reaches the program; what the program prints is masked like any secret.
        secrets.AddRange(pipeline.CommandSteps
            .SelectMany(s => s.Command!.Environment.Where(v => v.IsSecret && v.Setting is null).Select(v => ($"{s.Name}: env {v.Name}", v.Value))));
        return new ProjectSettings(parameters!, sluice!, merged) { Secrets = secrets, Sources = configuration };
    }

    /// <summary>Returns the command steps' environment variables whose value is read from a setting.</summary>
    /// <remarks>Only command steps are visited: a pipeline of 10,000 C# steps costs nothing here.</remarks>
    public static IEnumerable<(StepDefinition Step, CommandVariable Variable)> SettingVariables(Pipeline pipeline) =>
        pipeline.CommandSteps.SelectMany(s => s.Command!.Environment.Where(v => v.Setting is not null).Select(v => (s, v)));

    /// <summary>Returns every leaf setting of the parameter sections (in pipeline order) and of Sluice's own section, defaults included.</summary>
    public static List<SettingLeaf> Leaves(Pipeline pipeline, IReadOnlyDictionary<string, object> parameters, SluiceSettings sluice)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(parameters);
        var leaves = new List<SettingLeaf>();
        foreach (ParameterDefinition parameter in pipeline.Parameters.DistinctBy(p => p.Section, StringComparer.OrdinalIgnoreCase))
        {
            leaves.AddRange(SettingsTree.Leaves(parameters.GetValueOrDefault(parameter.Section), parameter.Type, parameter.Section));
        }

        leaves.AddRange(SettingsTree.Leaves(sluice, typeof(SluiceSettings), SluiceSettings.Section));
        return leaves;
    }

    /// <summary>Returns the top-level sections in a secret source that are plain values: named secrets a pipeline reads itself (the forecaster's <c>ALPHAVANTAGE_API_KEY</c>), not settings.</summary>
    public static IEnumerable<string> NamedSecrets(ProjectConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (IConfigurationSection section in configuration.Merged.GetChildren())
        {
            if (section.Value is not null && !section.GetChildren().Any()
                && configuration.Layers.Where(l => l.Values.ContainsKey(section.Key)).All(l => l.Kind == ConfigurationLayerKind.Secret))
            {
                yield return section.Key;
            }
        }
    }

    // Keys outside every known section would be ignored without a word: they are mistakes (a misspelt section, a leftover).
    private static IEnumerable<string> UnknownSections(Pipeline pipeline, ProjectConfiguration configuration)
    {
        var known = pipeline.Parameters.Select(p => p.Section.Split(ConfigurationPath.KeyDelimiter)[0])
            .Append(SluiceSettings.Section)
            .Concat(SettingVariables(pipeline).Select(s => s.Variable.Setting!.Split(ConfigurationPath.KeyDelimiter)[0]))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var named = NamedSecrets(configuration).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection section in configuration.Merged.GetChildren())
        {
            if (known.Contains(section.Key, StringComparer.OrdinalIgnoreCase) || named.Contains(section.Key))
            {
                continue;
            }

            string prefix = section.Key + ConfigurationPath.KeyDelimiter;
            string where = string.Join(", ", configuration.Layers
                .Select(l => l.Values.Keys.FirstOrDefault(k => k.Equals(section.Key, StringComparison.OrdinalIgnoreCase) || k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) is { } key ? l.SourceOf(key) : null)
                .OfType<string>());
            string? guess = Spelling.Closest(section.Key, known);
            string hint = guess is not null ? $"Did you mean '{guess}'?"
                : section.Key.Equals("Logging", StringComparison.OrdinalIgnoreCase)
                    ? $"Sluice does not read the conventional 'Logging' section: steps log through Sluice, whose settings are under '{SluiceSettings.Section}'. Remove it."
                    : $"Known sections: {string.Join(", ", known)}.";
            yield return $"Configuration section '{section.Key}' (set in {where}) is not a section of pipeline '{pipeline.Name}'. {hint}";
        }
    }

    // A problem with a key set in the pipeline file points at the line, as the file's own problems do.
    private static string Located(string problem, ProjectConfiguration configuration)
    {
        const string Marker = "Configuration key '";
        int start = problem.IndexOf(Marker, StringComparison.Ordinal);
        int end = start < 0 ? -1 : problem.IndexOf('\'', start + Marker.Length);
        if (end < 0)
        {
            return problem;
        }

        string key = problem[(start + Marker.Length)..end];
        ConfigurationLayer? winner = configuration.Layers.LastOrDefault(l => l.Values.ContainsKey(key));
        return winner?.LocationOf(key) is { } at ? $"{at}: {problem}" : problem;
    }

    // A committed file is shared with everyone who can read the repository: a secret there has leaked already.
    private static IEnumerable<string> SecretsInCommittedFiles(ProjectConfiguration configuration, HashSet<string> secretKeys)
    {
        string secretsFile = configuration.Layers.LastOrDefault(l => l.Kind == ConfigurationLayerKind.Secret && l.Name != "user-secrets")?.Name ?? "config/secrets.json";
        foreach (string key in secretKeys.Order(StringComparer.Ordinal))
        {
            foreach (ConfigurationLayer layer in configuration.Layers.Where(l => l.Kind == ConfigurationLayerKind.Committed))
            {
                if (layer.Values.TryGetValue(key, out string? value) && !string.IsNullOrEmpty(value))
                {
                    string variable = ConfigurationLoader.Prefix + key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal);
                    yield return $"Configuration key '{key}' is a secret, but {layer.Name} sets it and that file is committed with the project: "
                        + $"remove it there and put it in {secretsFile} (git-ignored), in user-secrets, or in the environment variable {variable}.";
                }
            }
        }
    }
}
