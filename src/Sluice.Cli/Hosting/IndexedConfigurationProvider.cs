using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Sluice.Cli.Hosting;

/// <summary>Holds already-merged settings with each key's children indexed, so walking and binding a section costs time in its size, not in the size of the whole configuration.</summary>
/// <remarks>
/// The stock providers answer every "children of X" by scanning all their keys, so binding a list of N
/// entries is quadratic: a forecaster with 500 sources spent a second in it. Settings are read once per
/// command and never reloaded, so a merged, indexed snapshot loses nothing.
/// </remarks>
internal sealed class IndexedConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    private static readonly PropertyInfo? DataProperty =
        typeof(ConfigurationProvider).GetProperty("Data", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);

    private IndexedConfigurationProvider(Dictionary<string, string?> merged)
    {
        Data = merged;
        // Keys of reference types only: their generic code is shared and precompiled, so start-up pays no JIT for it.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in merged.Keys)
        {
            int start = 0;
            string parent = "";
            while (true)
            {
                int colon = key.IndexOf(':', start);
                string segment = colon < 0 ? key[start..] : key[start..colon];
                if (seen.Add(colon < 0 ? key : key[..colon]))
                {
                    if (!_children.TryGetValue(parent, out List<string>? list))
                    {
                        _children[parent] = list = [];
                    }

                    list.Add(segment);
                }

                if (colon < 0)
                {
                    break;
                }

                parent = key[..colon];
                start = colon + 1;
            }
        }
    }

    /// <summary>Returns a configuration equal to <paramref name="root"/> read through an index, or <paramref name="root"/> itself when one of its providers cannot be snapshotted.</summary>
    public static IConfigurationRoot Snapshot(IConfigurationRoot root)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationProvider provider in root.Providers)
        {
            // Later providers win, as in the root they replace.
            if (provider is not ConfigurationProvider known || DataProperty?.GetValue(known) is not IDictionary<string, string?> data)
            {
                return root;
            }

            foreach (KeyValuePair<string, string?> item in data)
            {
                merged[item.Key] = item.Value;
            }
        }

        return new ConfigurationBuilder().Add(new IndexedConfigurationProvider(merged)).Build();
    }

    /// <inheritdoc/>
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var keys = new List<string>(earlierKeys);
        if (_children.TryGetValue(parentPath ?? "", out List<string>? children))
        {
            keys.AddRange(children);
        }

        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
