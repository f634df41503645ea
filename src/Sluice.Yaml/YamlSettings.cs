using System.Globalization;

namespace Sluice.Yaml;

/// <summary>Reads a pipeline file's <c>schedule</c> and <c>alerts</c> into Sluice's settings (<c>Sluice:Alerts:...</c>), each value remembering its <c>file:line:column</c>.</summary>
/// <remarks>
/// They become the lowest configuration layer, so <c>config/appsettings.json</c>, the secrets file and <c>SLUICE_</c> variables
/// still override them, and the settings binder validates them with everything else (its messages then point at the line here).
/// Key names are checked here, against the same shape as the settings classes, in the file's snake_case.
/// </remarks>
internal static class YamlSettings
{
    private const string AlertsSection = "Sluice:Alerts";

    private static readonly Dictionary<string, Field> Schedule = new(StringComparer.Ordinal)
    {
        ["cron"] = new("Cron", FieldKind.Text),
        ["timezone"] = new("TimeZone", FieldKind.Text),
        ["grace"] = new("Grace", FieldKind.Duration),
    };

    private static readonly Dictionary<string, Field> Alerts = new(StringComparer.Ordinal)
    {
        ["on_success"] = new("OnSuccess", FieldKind.Text),
        ["delivery"] = new("Delivery", FieldKind.Map),
        ["sinks"] = new("Sinks", FieldKind.Map),
    };

    private static readonly Dictionary<string, Field> Delivery = new(StringComparer.Ordinal)
    {
        ["max_attempts"] = new("MaxAttempts", FieldKind.Text),
        ["backoff"] = new("Backoff", FieldKind.Duration),
        ["max_backoff"] = new("MaxBackoff", FieldKind.Duration),
        ["attempt_timeout"] = new("AttemptTimeout", FieldKind.Duration),
        ["drain_timeout"] = new("DrainTimeout", FieldKind.Duration),
    };

    private static readonly Dictionary<string, Field> Sink = new(StringComparer.Ordinal)
    {
        ["type"] = new("Type", FieldKind.Text),
        ["kinds"] = new("Kinds", FieldKind.List),
        ["url"] = new("Url", FieldKind.Text),
        ["format"] = new("Format", FieldKind.Text),
        ["slack_blocks"] = new("SlackBlocks", FieldKind.Text),
        ["headers"] = new("Headers", FieldKind.Names),
        ["secret_headers"] = new("SecretHeaders", FieldKind.Names),
        ["command"] = new("Command", FieldKind.Text),
        ["arguments"] = new("Arguments", FieldKind.List),
        ["host"] = new("Host", FieldKind.Text),
        ["port"] = new("Port", FieldKind.Text),
        ["tls"] = new("Tls", FieldKind.Text),
        ["user"] = new("User", FieldKind.Text),
        ["password"] = new("Password", FieldKind.Text),
        ["from"] = new("From", FieldKind.Text),
        ["to"] = new("To", FieldKind.List),
        ["subject_prefix"] = new("SubjectPrefix", FieldKind.Text),
        ["path"] = new("Path", FieldKind.Text),
    };

    /// <summary>Reads <c>schedule:</c> into <c>Sluice:Alerts:Schedule</c>.</summary>
    public static void ReadSchedule(YamlNode value, YamlProblems problems, List<Setting> settings) =>
        ReadFields(value, "schedule", $"{AlertsSection}:Schedule", Schedule, problems, settings, "for example { cron: \"30 22 * * 1-5\", timezone: UTC, grace: 30m }");

    /// <summary>Reads <c>alerts:</c> into <c>Sluice:Alerts</c>.</summary>
    public static void ReadAlerts(YamlNode value, YamlProblems problems, List<Setting> settings) =>
        ReadFields(value, "alerts", AlertsSection, Alerts, problems, settings, "for example { sinks: { file: { type: log } } }");

    private static void ReadFields(YamlNode value, string at, string key, Dictionary<string, Field> fields, YamlProblems problems, List<Setting> settings, string example)
    {
        if (value is not YamlMapping map)
        {
            problems.Add(value, at, $"expected a map ({string.Join(", ", fields.Keys)}), found {value.Kind}: {example}.");
            return;
        }

        foreach ((YamlScalar name, YamlNode v) in map.Entries)
        {
            string path = $"{at}.{name.Value}";
            if (!fields.TryGetValue(name.Value, out Field? field))
            {
                string hint = Definitions.Spelling.Closest(name.Value, fields.Keys) is { } guess ? $"Did you mean '{guess}'?" : $"Known keys: {string.Join(", ", fields.Keys)}.";
                problems.Add(name, path, $"unknown key '{name.Value}'. {hint}");
                continue;
            }

            string target = $"{key}:{field.Setting}";
            switch (field.Kind)
            {
                case FieldKind.Text:
                    Scalar(v, path, target, problems, settings);
                    break;
                case FieldKind.Duration:
                    if (v is YamlScalar { IsNull: false } s && YamlDuration.TryParse(s.Value, out TimeSpan duration) && duration >= TimeSpan.Zero)
                    {
                        settings.Add(new(target, duration.ToString("c", CultureInfo.InvariantCulture), v));
                    }
                    else
                    {
                        problems.Add(v, path, $"expected a duration: {YamlDuration.Forms}; found {v.Kind}.");
                    }

                    break;
                case FieldKind.List:
                    if (v is YamlSequence list)
                    {
                        for (int i = 0; i < list.Items.Count; i++)
                        {
                            Scalar(list.Items[i], path, $"{target}:{i.ToString(CultureInfo.InvariantCulture)}", problems, settings);
                        }
                    }
                    else
                    {
                        problems.Add(v, path, $"expected a list, found {v.Kind}: write [a, b] or one '- item' per line.");
                    }

                    break;
                case FieldKind.Names:
                    if (v is YamlMapping names)
                    {
                        foreach ((YamlScalar n, YamlNode nv) in names.Entries)
                        {
                            Scalar(nv, $"{path}.{n.Value}", $"{target}:{n.Value}", problems, settings);
                        }
                    }
                    else
                    {
                        problems.Add(v, path, $"expected a map of names to values, found {v.Kind}.");
                    }

                    break;
                case FieldKind.Map when field.Setting == "Delivery":
                    ReadFields(v, path, target, Delivery, problems, settings, "for example { max_attempts: 4, backoff: 2s }");
                    break;
                case FieldKind.Map:
                    ReadSinks(v, path, target, problems, settings);
                    break;
            }
        }
    }

    private static void ReadSinks(YamlNode value, string at, string key, YamlProblems problems, List<Setting> settings)
    {
        if (value is not YamlMapping sinks)
        {
            problems.Add(value, at, $"expected a map of sink names to sinks, found {value.Kind}: for example {{ team: {{ type: webhook, url: \"https://...\" }} }}.");
            return;
        }

        foreach ((YamlScalar name, YamlNode sink) in sinks.Entries)
        {
            ReadFields(sink, $"{at}.{name.Value}", $"{key}:{name.Value}", Sink, problems, settings, "for example { type: log, path: logs/alerts.jsonl }");
        }
    }

    private static void Scalar(YamlNode value, string at, string key, YamlProblems problems, List<Setting> settings)
    {
        if (value is YamlScalar { IsNull: false } s)
        {
            settings.Add(new(key, s.Value, value));
        }
        else
        {
            problems.Add(value, at, $"expected a value, found {value.Kind}.");
        }
    }

    /// <summary>One setting read from the file, and the node it came from.</summary>
    internal sealed record Setting(string Key, string Value, YamlNode At);

    private sealed record Field(string Setting, FieldKind Kind);

    private enum FieldKind
    {
        Text,
        Duration,
        List,
        Names,
        Map,
    }
}
