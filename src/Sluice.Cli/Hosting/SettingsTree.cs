using System.Collections;
using System.Globalization;
using System.Reflection;
using Sluice.Configuration;
using Sluice.Secrets;

namespace Sluice.Cli.Hosting;

/// <summary>Flattens bound settings objects into their leaf values, keyed by configuration path, defaults included.</summary>
internal static class SettingsTree
{
    private const int MaxDepth = 32;

    /// <summary>Returns every leaf of <paramref name="value"/> (bound from section <paramref name="path"/>), in declaration order.</summary>
    public static List<SettingLeaf> Leaves(object? value, Type type, string path)
    {
        var leaves = new List<SettingLeaf>();
        Visit(value, type, path, leaves, 0);
        return leaves;
    }

    /// <summary>Returns a leaf value as the <c>config</c> command shows it: invariant, dates as ISO 8601, a secret as <c>***</c>.</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        Secret => SecretRedactor.Mask,
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Visit(object? value, Type type, string path, List<SettingLeaf> leaves, int depth)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null || value is Secret || ParameterBinder.IsScalar(target) || depth > MaxDepth)
        {
            leaves.Add(new SettingLeaf(path, value, value is Secret || target == typeof(Secret)));
            return;
        }

        if (value is IDictionary dictionary)
        {
            Type element = ParameterBinder.DictionaryValueType(target) ?? typeof(object);
            if (dictionary.Count == 0)
            {
                leaves.Add(new SettingLeaf(path, EmptyCollection.Instance, false));
            }

            foreach (DictionaryEntry entry in dictionary)
            {
                Visit(entry.Value, element, $"{path}:{entry.Key}", leaves, depth + 1);
            }

            return;
        }

        if (value is IEnumerable items and not string)
        {
            Type element = ParameterBinder.ElementType(target) ?? typeof(object);
            int index = 0;
            foreach (object? item in items)
            {
                Visit(item, element, string.Create(CultureInfo.InvariantCulture, $"{path}:{index++}"), leaves, depth + 1);
            }

            if (index == 0)
            {
                leaves.Add(new SettingLeaf(path, EmptyCollection.Instance, false));
            }

            return;
        }

        foreach (PropertyInfo property in ParameterBinder.BindableProperties(value.GetType()).Values)
        {
            if (property.GetMethod is { IsPublic: true })
            {
                Visit(property.GetValue(value), property.PropertyType, $"{path}:{property.Name}", leaves, depth + 1);
            }
        }
    }

    /// <summary>Stands for a list or dictionary with no entries, shown as <c>[]</c>.</summary>
    private sealed class EmptyCollection
    {
        public static readonly EmptyCollection Instance = new();

        public override string ToString() => "[]";
    }
}

/// <summary>One bound setting: its configuration path, its value, and whether it is a <see cref="Secret"/>.</summary>
internal readonly record struct SettingLeaf(string Path, object? Value, bool IsSecret);
