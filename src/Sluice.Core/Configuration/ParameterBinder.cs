using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Sluice.Definitions;
using Sluice.Secrets;

namespace Sluice.Configuration;

/// <summary>Binds a pipeline's parameter sections from configuration and validates them, reporting every problem at once.</summary>
public static class ParameterBinder
{
    // Binding reads a settings type's properties, nested types included, by reflection. A Native AOT app roots its own
    // assembly and Sluice.Core roots itself (docs/adr/0006-native-aot.md), so nothing the binder reads is trimmed.
    private const string ReflectionJustification =
        "Settings and parameter types are kept whole: a Native AOT app roots its own assembly (TrimmerRootAssembly, docs/adr/0006-native-aot.md) and Sluice.Core roots itself (ILLink.Descriptors.xml).";

    // Per type: whether Validator has attributes to check (TryValidate).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> s_annotated = new();

    /// <summary>Binds every parameter section of <paramref name="pipeline"/>; throws <see cref="PipelineDefinitionException"/> listing unknown keys, ill-typed values and failed validations.</summary>
    public static IReadOnlyDictionary<string, object> Bind(Pipeline pipeline, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (ParameterDefinition parameter in pipeline.Parameters)
        {
            if (BindSection(configuration, parameter.Section, parameter.Type, problems) is { } value)
            {
                values[parameter.Section] = value;
            }
        }

        ResolveFileSets(pipeline, values, problems);
        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(pipeline.Name, problems);
        }

        return values;
    }

    /// <summary>Binds one configuration section to a new <paramref name="type"/> and validates it; adds every problem to <paramref name="problems"/> and returns null when the section cannot be bound at all.</summary>
    /// <remarks>Sluice's own settings (alerts, telemetry) are bound with this too, so they are checked the same way as parameters.</remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The binder makes generic collection types only for collection properties; one it cannot make under Native AOT is reported as a problem naming the key, not thrown.")]
    public static object? BindSection(IConfiguration configuration, string path, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties)] Type type, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(problems);
        IConfigurationSection section = configuration.GetSection(path);

        // Keys whose values cannot be bound are reported here and hidden from the binder, so that
        // the rest of the section is still bound and validated: every problem is reported at once.
        var unbound = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CheckObject(section, type, problems, unbound);
        if (unbound.Contains(section.Path))
        {
            return null;
        }

        object value = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Could not create {type.Name}.");
        try
        {
            (unbound.Count == 0 ? section : new BindableView(section, unbound)).Bind(value);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"Configuration section '{path}' could not be bound to {type.Name}: {e.Message}");
            return null;
        }
        catch (NotSupportedException e)
        {
            // Native AOT: a collection type the app never uses elsewhere has no compiled code to make it from.
            problems.Add($"Configuration section '{path}' could not be bound to {type.Name} in this Native AOT build: {e.Message} Use an array or List<T> property, or a JIT build.");
            return null;
        }

        Validate(value, path, problems, unbound);
        return value;
    }

    // A file set's paths depend only on bound settings, so they are chosen once here and kept with the
    // parameters: every later fingerprint sees the same list, and a bad path is a configuration problem.
    private static void ResolveFileSets(Pipeline pipeline, Dictionary<string, object> values, List<string> problems)
    {
        foreach (FileSetDefinition fileSet in pipeline.FileSets)
        {
            if (!values.TryGetValue(fileSet.Section, out object? settings))
            {
                continue;
            }

            var paths = new List<string>();
            foreach (string? path in fileSet.Select(settings) ?? [])
            {
                string normalized = ProjectRelativePath.Normalize(path);
                if (!ProjectRelativePath.IsInside(normalized))
                {
                    problems.Add($"File set '{fileSet.Name}' (from '{fileSet.Section}') names '{path}', which is not inside the project: use a relative path such as 'data/prices.csv'.");
                }
                else if (!paths.Contains(normalized, StringComparer.Ordinal))
                {
                    paths.Add(normalized);
                }
            }

            values[fileSet.ParameterKey] = paths.ToArray();
        }
    }

    private static void CheckObject(IConfigurationSection section, Type type, List<string> problems, HashSet<string> unbound)
    {
        if (section.Value is not null && !section.GetChildren().Any())
        {
            unbound.Add(section.Path);
            problems.Add($"Configuration key '{section.Path}' has the value '{section.Value}', but {Describe(type)} is expected: give it child keys instead.");
            return;
        }

        Dictionary<string, PropertyInfo> properties = BindableProperties(type);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out PropertyInfo? property))
            {
                string? guess = Spelling.Closest(child.Key, properties.Keys);
                string hint = guess is not null
                    ? $"Did you mean '{guess}'?"
                    : properties.Count == 0 ? $"{type.Name} takes no keys." : $"Known keys: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}.";
                problems.Add($"Configuration key '{child.Path}' is not a setting of {type.Name}. {hint}");
                continue;
            }

            CheckValue(child, property.PropertyType, problems, unbound);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems, HashSet<string> unbound)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (section.GetChildren().Any())
            {
                unbound.Add(section.Path);
                problems.Add($"Configuration key '{section.Path}' has child keys, but a single {Describe(target)} is expected.");
                return;
            }

            string? text = section.Value;
            if (string.IsNullOrEmpty(text))
            {
                if (target != typeof(string) && target != typeof(Secret) && Nullable.GetUnderlyingType(type) is null)
                {
                    unbound.Add(section.Path);
                    problems.Add($"Configuration key '{section.Path}' is empty, but {Describe(target)} is expected: give it a value or remove the key.");
                }

                return;
            }

            if (!TryConvert(text, target))
            {
                unbound.Add(section.Path);
                problems.Add($"Configuration key '{section.Path}' has the value '{text}', which is not {Describe(target)}{Hint(target)}.");
            }

            return;
        }

        Type? element = DictionaryValueType(target);
        if (element is not null)
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                CheckValue(child, element, problems, unbound);
            }

            return;
        }

        element = ElementType(target);
        if (element is not null)
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    unbound.Add(child.Path);
                    problems.Add($"Configuration key '{child.Path}' is inside a list: list items are numbered 0, 1, 2...");
                    continue;
                }

                CheckValue(child, element, problems, unbound);
            }

            return;
        }

        CheckObject(section, target, problems, unbound);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionJustification)]
    private static void Validate(object value, string path, List<string> problems, HashSet<string> unbound)
    {
        var results = new List<ValidationResult>();
        if (!TryValidate(value, results))
        {
            foreach (ValidationResult result in results)
            {
                // An unbound key holds its default, not the user's value, and is already reported.
                if (result.MemberNames.Any() && result.MemberNames.All(m => unbound.Contains($"{path}:{m}")))
                {
                    continue;
                }

                string members = string.Join(", ", result.MemberNames.Select(m => $"{path}:{m}"));
                problems.Add($"Configuration {(members.Length > 0 ? $"key '{members}'" : $"section '{path}'")} is invalid: {result.ErrorMessage}");
            }
        }

        foreach (PropertyInfo property in BindableProperties(value.GetType()).Values)
        {
            Type type = property.PropertyType;
            if (!IsScalar(Nullable.GetUnderlyingType(type) ?? type) && ElementType(type) is null && DictionaryValueType(type) is null
                && property.GetValue(value) is { } nested && !unbound.Contains($"{path}:{property.Name}"))
            {
                Validate(nested, $"{path}:{property.Name}", problems, unbound);
            }
        }
    }

    // Validator finds a type's attributes through TypeDescriptor, several milliseconds per settings type in a fresh
    // Native AOT process: the largest part of binding Sluice's own settings on every command's start. For a type with
    // no validation attribute (on it or a public property) and no [MetadataType], all Validator would do is call the
    // type's own IValidatableObject.Validate, so that is called directly, with the same context and results.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionJustification)]
    internal static bool TryValidate(object value, List<ValidationResult> results)
    {
        var context = new ValidationContext(value);
        if (HasAnnotations(value.GetType()))
        {
            return Validator.TryValidateObject(value, context, results, validateAllProperties: true);
        }

        int before = results.Count;
        if (value is IValidatableObject validatable)
        {
            foreach (ValidationResult? result in validatable.Validate(context))
            {
                if (result is not null)
                {
                    results.Add(result);
                }
            }
        }

        return results.Count == before;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionJustification)]
    private static bool HasAnnotations(Type type) => s_annotated.GetOrAdd(type, static t =>
        t.IsDefined(typeof(ValidationAttribute), inherit: true)
        || t.IsDefined(typeof(MetadataTypeAttribute), inherit: true)
        || t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.IsDefined(typeof(ValidationAttribute), inherit: true)));

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionJustification)]
    internal static Dictionary<string, PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || !IsScalar(p.PropertyType)))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    internal static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Secret) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan)
        || type == typeof(Guid) || type == typeof(Uri) || (Nullable.GetUnderlyingType(type) is { } u && IsScalar(u));

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only scalar types reach here (IsScalar): the framework's own converters, and Secret's, which its assembly keeps.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Only scalar types reach here (IsScalar): the framework's own converters, and Secret's, which its assembly keeps.")]
    private static bool TryConvert(string text, Type type)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, text, ignoreCase: true, out _);
        }

        try
        {
            TypeConverter converter = TypeDescriptor.GetConverter(type);
            _ = converter.ConvertFromInvariantString(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    internal static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments().Length == 1
            ? type.GetGenericArguments()[0]
            : null;
    }

    internal static Type? DictionaryValueType(Type type)
    {
        Type? dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : null;
        return dictionary?.GetGenericArguments() is [var key, var value] && key == typeof(string) ? value : null;
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration",
        _ when type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(string) => "text",
        _ => $"a {type.Name} object",
    };

    private static string Hint(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => " (use hh:mm:ss, for example 00:05:00)",
        _ when type == typeof(DateOnly) || type == typeof(DateTime) => " (use yyyy-mm-dd)",
        _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => " (use '.' as the decimal point)",
        _ => "",
    };

    /// <summary>A configuration section with some keys hidden, so the binder leaves those properties at their defaults.</summary>
    /// <remarks>A hidden key reads as absent: no value and no children.</remarks>
    private sealed class BindableView(IConfigurationSection inner, HashSet<string> hidden, bool absent = false) : IConfigurationSection
    {
        public string Key => inner.Key;

        public string Path => inner.Path;

        public string? Value
        {
            get => absent ? null : inner.Value;
            set => inner.Value = value;
        }

        public string? this[string key]
        {
            get => GetSection(key).Value;
            set => inner[key] = value;
        }

        public IConfigurationSection GetSection(string key)
        {
            IConfigurationSection section = inner.GetSection(key);
            return new BindableView(section, hidden, absent || hidden.Contains(section.Path));
        }

        public IEnumerable<IConfigurationSection> GetChildren() =>
            absent ? [] : inner.GetChildren().Where(c => !hidden.Contains(c.Path)).Select(c => new BindableView(c, hidden));

        public IChangeToken GetReloadToken() => inner.GetReloadToken();
    }
}
