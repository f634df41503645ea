using Microsoft.Extensions.Configuration;
using Sluice.Configuration;

namespace Sluice.Secrets;

/// <summary>Finds the configuration keys that bind to <see cref="Secret"/> properties: their values are secrets wherever they are set.</summary>
internal static class SecretKeys
{
    /// <summary>Adds the path of every key under <paramref name="path"/> that has a value and binds to a <see cref="Secret"/> of <paramref name="type"/>, in lists and dictionaries too.</summary>
    public static void Find(IConfiguration configuration, string path, Type type, ICollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keys);
        Visit(configuration.GetSection(path), type, keys);
    }

    private static void Visit(IConfigurationSection section, Type type, ICollection<string> keys)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(Secret))
        {
            if (!string.IsNullOrEmpty(section.Value))
            {
                keys.Add(section.Path);
            }

            return;
        }

        if (ParameterBinder.IsScalar(target))
        {
            return;
        }

        if ((ParameterBinder.DictionaryValueType(target) ?? ParameterBinder.ElementType(target)) is { } element)
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                Visit(child, element, keys);
            }

            return;
        }

        // Unknown keys are the binder's to report; only known properties can be secrets.
        var properties = ParameterBinder.BindableProperties(target);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                Visit(child, property.PropertyType, keys);
            }
        }
    }
}
