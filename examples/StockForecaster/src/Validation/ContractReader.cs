using System.Globalization;
using System.Text.Json;

namespace StockForecaster.Validation;

/// <summary>Turns a parsed contract file into a <see cref="DataContract"/>, collecting every problem with file, line and JSON path before failing once.</summary>
internal sealed class ContractReader
{
    private const int SupportedVersion = 1;

    private readonly string location;
    private readonly List<string> problems = [];

    private ContractReader(string location) => this.location = location;

    /// <summary>Returns the contract <paramref name="root"/> describes, or throws <see cref="DataContractException"/> listing every problem.</summary>
    public static DataContract Read(LocatedJson root, string location)
    {
        var reader = new ContractReader(location);
        DataContract? contract = reader.ReadRoot(root);
        if (reader.problems.Count > 0 || contract is null)
        {
            throw new DataContractException(location, reader.problems);
        }

        return contract;
    }

    private DataContract? ReadRoot(LocatedJson root)
    {
        Dictionary<string, (int Line, LocatedJson Value)>? keys = Keys(root, "$", ["version", "dateFormat", "columns", "policies"]);
        if (keys is null)
        {
            return null;
        }

        if (Required(keys, root, "$", "version") is { } version && version.Text != SupportedVersion.ToString(CultureInfo.InvariantCulture))
        {
            Problem(version.Line, "$.version", $"version {version.Describe()} is not supported: use {SupportedVersion}.");
        }

        string? dateFormat = ReadDateFormat(Required(keys, root, "$", "dateFormat"));
        ColumnContract[]? columns = ReadColumns(Required(keys, root, "$", "columns"));
        (SchemaDriftPolicy, MissingDayPolicy, int, double)? policies = ReadPolicies(Required(keys, root, "$", "policies"));
        if (dateFormat is null || columns is null || policies is not { } p)
        {
            return null;
        }

        return new DataContract(columns, dateFormat, p.Item1, p.Item2, p.Item3, p.Item4);
    }

    private string? ReadDateFormat(LocatedJson? value)
    {
        if (String(value, "$.dateFormat") is not { } format)
        {
            return null;
        }

        // A format is usable when a date survives a round trip through it with year, month and day intact.
        var probe = new DateOnly(2015, 3, 24);
        bool usable;
        try
        {
            usable = DateOnly.TryParseExact(probe.ToString(format, CultureInfo.InvariantCulture), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly back) && back == probe;
        }
        catch (FormatException)
        {
            usable = false;
        }

        if (!usable)
        {
            Problem(value!.Line, "$.dateFormat", $"\"{format}\" is not a date format that keeps year, month and day: use a .NET custom format such as \"yyyy-MM-dd\".");
            return null;
        }

        return format;
    }

    private ColumnContract[]? ReadColumns(LocatedJson? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.Array)
        {
            Problem(value.Line, "$.columns", $"expected an array of columns, found {value.Describe()}.");
            return null;
        }

        int before = problems.Count;
        var columns = new List<ColumnContract>();
        var declared = new Dictionary<PriceField, string>();
        var claimedNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < value.Items.Count; i++)
        {
            LocatedJson item = value.Items[i];
            string path = $"$.columns[{i}]";
            if (ReadColumn(item, path) is not { } column)
            {
                continue;
            }

            PriceField field = HeaderNames.FieldOf(HeaderNames.Normalize(column.Name))!.Value;
            if (!declared.TryAdd(field, column.Name))
            {
                Problem(item.Line, path, $"column '{column.Name}' is declared twice (also as '{declared[field]}'): declare each column once.");
                continue;
            }

            foreach (string name in column.Aliases.Prepend(column.Name))
            {
                string normalized = HeaderNames.Normalize(name);
                if (!claimedNames.TryAdd(normalized, column.Name) && claimedNames[normalized] != column.Name)
                {
                    Problem(item.Line, path, $"alias '{name}' of '{column.Name}' also names column '{claimedNames[normalized]}': a header name must match one column only.");
                }
            }

            if (!column.Required && field is PriceField.Date or PriceField.Close)
            {
                Problem(item.Line, path + ".required", $"column '{column.Name}' must be required: a series without {column.Name}s cannot be modelled.");
            }

            columns.Add(column);
        }

        foreach (string canonical in HeaderNames.Canonical)
        {
            if (!declared.ContainsKey(HeaderNames.FieldOf(canonical)!.Value) && problems.Count == before)
            {
                Problem(value.Line, "$.columns", $"column '{canonical}' is not declared: declare it, as required or optional.");
            }
        }

        return problems.Count == before ? [.. columns] : null;
    }

    private ColumnContract? ReadColumn(LocatedJson item, string path)
    {
        Dictionary<string, (int Line, LocatedJson Value)>? keys = Keys(item, path, ["name", "type", "required", "aliases"]);
        if (keys is null)
        {
            return null;
        }

        int before = problems.Count;
        string? name = String(Required(keys, item, path, "name"), path + ".name");
        if (name is not null && HeaderNames.FieldOf(HeaderNames.Normalize(name)) is null)
        {
            string? guess = HeaderNames.Closest(HeaderNames.Normalize(name), HeaderNames.Canonical);
            Problem(keys["name"].Line, path + ".name", $"'{name}' is not a column the forecaster stores: use one of {string.Join(", ", HeaderNames.Canonical)}{(guess is null ? "" : $" (did you mean '{guess}'?)")}.");
            name = null;
        }

        ColumnType? type = Choice(Required(keys, item, path, "type"), path + ".type", "a column type", ["date", "decimal", "integer"]) switch
        {
            "date" => ColumnType.Date,
            "decimal" => ColumnType.DecimalNumber,
            "integer" => ColumnType.WholeNumber,
            _ => null,
        };
        bool? required = Boolean(Required(keys, item, path, "required"), path + ".required");
        List<string> aliases = [];
        if (keys.TryGetValue("aliases", out (int Line, LocatedJson Value) aliasList))
        {
            if (aliasList.Value.Kind != JsonValueKind.Array)
            {
                Problem(aliasList.Line, path + ".aliases", $"expected an array of header names, found {aliasList.Value.Describe()}.");
            }
            else
            {
                for (int i = 0; i < aliasList.Value.Items.Count; i++)
                {
                    if (String(aliasList.Value.Items[i], $"{path}.aliases[{i}]") is { } alias)
                    {
                        aliases.Add(alias);
                    }
                }
            }
        }

        if (name is not null && type is { } t && HeaderNames.FieldOf(HeaderNames.Normalize(name)) is { } field && !Fits(field, t))
        {
            string allowed = field switch
            {
                PriceField.Date => "'date'",
                PriceField.Volume => "'integer'",
                _ => "'decimal' or 'integer'",
            };
            Problem(keys["type"].Line, path + ".type", $"column '{name}' cannot have type '{keys["type"].Value.Text}': the forecaster stores it as {allowed}.");
        }

        return problems.Count == before ? new ColumnContract(name!, type!.Value, required!.Value, aliases) : null;
    }

    private static bool Fits(PriceField field, ColumnType type) => field switch
    {
        PriceField.Date => type == ColumnType.Date,
        PriceField.Volume => type == ColumnType.WholeNumber,
        _ => type is ColumnType.DecimalNumber or ColumnType.WholeNumber,
    };

    private (SchemaDriftPolicy, MissingDayPolicy, int, double)? ReadPolicies(LocatedJson? value)
    {
        if (value is null)
        {
            return null;
        }

        const string path = "$.policies";
        Dictionary<string, (int Line, LocatedJson Value)>? keys = Keys(value, path, ["schemaDrift", "missingDays", "staleDays", "outlierK"]);
        if (keys is null)
        {
            return null;
        }

        SchemaDriftPolicy? drift = Choice(Required(keys, value, path, "schemaDrift"), path + ".schemaDrift", "a schema-drift policy", ["fail", "warn"]) switch
        {
            "fail" => SchemaDriftPolicy.Fail,
            "warn" => SchemaDriftPolicy.Warn,
            _ => null,
        };
        MissingDayPolicy? missing = Choice(Required(keys, value, path, "missingDays"), path + ".missingDays", "a missing-day policy", ["fail", "warn", "fill-forward"]) switch
        {
            "fail" => MissingDayPolicy.Fail,
            "warn" => MissingDayPolicy.Warn,
            "fill-forward" => MissingDayPolicy.FillForward,
            _ => null,
        };

        int? staleDays = null;
        if (Required(keys, value, path, "staleDays") is { } stale)
        {
            if (stale.Kind == JsonValueKind.Number && int.TryParse(stale.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int days) && days >= 2)
            {
                staleDays = days;
            }
            else
            {
                Problem(stale.Line, path + ".staleDays", $"expected a whole number of days, 2 or more, found {stale.Describe()}.");
            }
        }

        double? outlierK = null;
        if (Required(keys, value, path, "outlierK") is { } k)
        {
            if (k.Kind == JsonValueKind.Number && double.TryParse(k.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double sigmas) && sigmas > 0 && double.IsFinite(sigmas))
            {
                outlierK = sigmas;
            }
            else
            {
                Problem(k.Line, path + ".outlierK", $"expected a positive number of standard deviations, found {k.Describe()}.");
            }
        }

        return drift is { } d && missing is { } m && staleDays is { } s && outlierK is { } o ? (d, m, s, o) : null;
    }

    /// <summary>Returns an object's properties by name after reporting unknown and repeated keys, or null when the value is not an object.</summary>
    private Dictionary<string, (int Line, LocatedJson Value)>? Keys(LocatedJson value, string path, string[] known)
    {
        if (value.Kind != JsonValueKind.Object)
        {
            Problem(value.Line, path, $"expected an object, found {value.Describe()}.");
            return null;
        }

        var keys = new Dictionary<string, (int, LocatedJson)>(StringComparer.Ordinal);
        foreach ((string name, int line, LocatedJson item) in value.Properties)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                string? guess = HeaderNames.Closest(name, known);
                Problem(line, $"{path}.{name}", guess is null
                    ? $"unknown key '{name}': the keys here are {string.Join(", ", known)}."
                    : $"unknown key '{name}'. Did you mean '{guess}'?");
            }
            else if (!keys.TryAdd(name, (line, item)))
            {
                Problem(line, $"{path}.{name}", $"key '{name}' appears twice: keep one.");
            }
        }

        return keys;
    }

    private LocatedJson? Required(Dictionary<string, (int Line, LocatedJson Value)> keys, LocatedJson owner, string path, string key)
    {
        if (keys.TryGetValue(key, out (int Line, LocatedJson Value) found))
        {
            return found.Value;
        }

        Problem(owner.Line, path, $"missing key '{key}'.");
        return null;
    }

    private string? String(LocatedJson? value, string path)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.Text))
        {
            Problem(value.Line, path, $"expected a non-empty string, found {value.Describe()}.");
            return null;
        }

        return value.Text;
    }

    private bool? Boolean(LocatedJson? value, string path)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(value.Line, path, $"expected true or false, found {value.Describe()}.");
            return null;
        }

        return value.Kind == JsonValueKind.True;
    }

    private string? Choice(LocatedJson? value, string path, string what, string[] choices)
    {
        if (String(value, path) is not { } text)
        {
            return null;
        }

        if (Array.IndexOf(choices, text) < 0)
        {
            string quoted = string.Join(", ", choices[..^1].Select(c => $"'{c}'")) + $" or '{choices[^1]}'";
            Problem(value!.Line, path, $"'{text}' is not {what}: use {quoted}.");
            return null;
        }

        return text;
    }

    private void Problem(int line, string path, string message) => problems.Add($"{location}:{line} ({path}): {message}");
}
