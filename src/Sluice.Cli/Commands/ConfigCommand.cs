using System.CommandLine;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Secrets;

namespace Sluice.Cli.Commands;

/// <summary><c>config</c>: every effective setting of the pipeline's parameter sections and of Sluice's own, each with the source it came from; secrets as <c>***</c>.</summary>
internal static class ConfigCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var command = new Command(
            "config",
            "Show every effective setting (the pipeline's parameters and Sluice's own, defaults included), each with where it came from: "
            + "config/appsettings.json, config/appsettings.<SLUICE_ENVIRONMENT>.json, user-secrets, config/secrets.json, env SLUICE_Section__Key, or default. Secrets show as ***.");
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));

            // The same binding as 'run': a configuration 'run' would refuse is refused here too, with every problem.
            ProjectSettings settings = PlanCommand.BindSettings(context, paths);
            List<Setting> rows = Rows(context, settings);
            context.Out.Write(result.GetValue(json) ? Json(context, settings.Sources!, rows) : Text(context, settings.Sources!, rows));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static List<Setting> Rows(CommandContext context, ProjectSettings settings)
    {
        ProjectConfiguration sources = settings.Sources!;
        var rows = new List<Setting>();
        foreach (SettingLeaf leaf in SettingsBinder.Leaves(context.Pipeline, settings.Parameters, settings.Sluice))
        {
            ConfigurationLayer? layer = sources.LayerOf(leaf.Path);
            bool secret = leaf.IsSecret || layer?.Kind == ConfigurationLayerKind.Secret;
            rows.Add(new Setting(leaf.Path, secret ? SecretRedactor.Mask : leaf.Value is null ? null : SettingsTree.Text(leaf.Value), layer?.SourceOf(leaf.Path) ?? "default", secret));
        }

        // Plain values at the top of a secret source are secrets the pipeline looks up by name.
        foreach (string name in SettingsBinder.NamedSecrets(sources))
        {
            rows.Add(new Setting(name, SecretRedactor.Mask, sources.LayerOf(name)!.SourceOf(name), true));
        }

        return rows;
    }

    private static string Text(CommandContext context, ProjectConfiguration sources, List<Setting> rows)
    {
        var table = new TextTable("key", "value", "source");
        foreach (Setting row in rows)
        {
            table.Add(row.Key, row.Value is null ? "(not set)" : Formats.OneLine(row.Value), row.Source);
        }

        var layers = new TextTable("source", "status");
        foreach (ConfigurationLayer layer in sources.Layers)
        {
            if (layer.Kind == ConfigurationLayerKind.Secret && sources.UserSecretsId is null && layer.Name != "user-secrets")
            {
                // Where user-secrets would be, say why there are none.
                layers.Add("user-secrets", $"none: the app declares no UserSecretsId and {ConfigurationLoader.UserSecretsIdVariable} is not set");
            }

            layers.Add(layer.Kind == ConfigurationLayerKind.Environment ? "env SLUICE_<Section>__<Key>" : layer.Name, Status(layer, sources));
        }

        string environment = sources.Environment is { } name ? $"environment '{name}'" : "no environment (SLUICE_ENVIRONMENT is not set)";
        return $"settings of pipeline '{context.Pipeline.Name}', {environment}\n"
            + table.Render(indent: "  ")
            + "sources, later ones win:\n"
            + layers.Render(withHeader: false, indent: "  ");
    }

    private static string Status(ConfigurationLayer layer, ProjectConfiguration sources) => layer.Kind switch
    {
        ConfigurationLayerKind.Environment => layer.Values.Count == 1 ? "1 variable" : $"{layer.Values.Count} variables",
        _ when !layer.Exists => "not found",
        _ => $"{layer.Values.Count} {(layer.Values.Count == 1 ? "key" : "keys")}{(layer.Kind == ConfigurationLayerKind.Secret ? ", all secret" : "")}"
            + (layer.Name == "user-secrets" ? $" (id {sources.UserSecretsId})" : ""),
    };

    private static string Json(CommandContext context, ProjectConfiguration sources, List<Setting> rows)
    {
        return JsonRecords.Render(json =>
        {
            json.WriteStartObject();
            json.WriteString("pipeline", context.Pipeline.Name);
            json.WriteString("environment", sources.Environment);
            json.WriteStartArray("settings");
            foreach (Setting row in rows)
            {
                json.WriteStartObject();
                json.WriteString("key", row.Key);
                json.WriteString("value", row.Value);
                json.WriteString("source", row.Source);
                json.WriteBoolean("secret", row.Secret);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("sources");
            foreach (ConfigurationLayer layer in sources.Layers)
            {
                json.WriteStartObject();
                json.WriteString("name", layer.Name);
                json.WriteString("kind", layer.Kind.ToString().ToLowerInvariant());
                json.WriteBoolean("found", layer.Exists);
                json.WriteNumber("keys", layer.Values.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>One row of the listing; <see cref="Value"/> is null for a setting nothing sets and whose default is no value.</summary>
    private sealed record Setting(string Key, string? Value, string Source, bool Secret);
}
