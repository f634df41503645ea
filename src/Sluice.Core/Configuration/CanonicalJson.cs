using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Secrets;

namespace Sluice.Configuration;

/// <summary>Writes the canonical JSON of a parameters object (keys sorted ordinally at every level, no whitespace, enums by name) by walking its properties.</summary>
/// <remarks>
/// The bytes are those of key format 1: what System.Text.Json's reflection serializer (with a string enum converter)
/// wrote, re-ordered. They are produced here without that serializer so that a Native AOT build, which has no
/// reflection serializer, computes the same fingerprints as a JIT build: a checkpoint made by one is reused by the other.
/// Only what the parameter binder can bind is covered: scalars, lists, string-keyed dictionaries and nested objects.
/// </remarks>
internal static class CanonicalJson
{
    private const string ReflectionJustification =
        "Parameter types are bound by reflection too (ParameterBinder): a Native AOT app roots its own assembly (TrimmerRootAssembly, docs/adr/0006-native-aot.md) and Sluice.Core roots itself (ILLink.Descriptors.xml), so no property read here is trimmed.";

    [ThreadStatic]
    private static ScalarWriter? t_scalars;

    /// <summary>Returns the canonical JSON of <paramref name="value"/> read as <paramref name="type"/>; a scalar that shows one of <paramref name="secrets"/> is written as a masked secret.</summary>
    public static string Write(object value, Type type, SecretRedactor? secrets)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = new StringBuilder();
        ScalarWriter scalars = t_scalars ??= new ScalarWriter();
        WriteValue(value, type, text, scalars, secrets is { IsEmpty: false } ? secrets : null, depth: 0);
        return text.ToString();
    }

    /// <summary>Returns <paramref name="value"/> as a JSON string, escaped exactly as System.Text.Json's default options escape it.</summary>
    public static string Quote(string value) => (t_scalars ??= new ScalarWriter()).Format(value, static (w, v) => w.WriteStringValue(v));

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = ReflectionJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = ReflectionJustification)]
    private static void WriteValue(object? value, Type declared, StringBuilder text, ScalarWriter scalars, SecretRedactor? secrets, int depth)
    {
        if (value is null)
        {
            text.Append("null");
            return;
        }

        // Like the serializer: an object-typed member is written as what it holds, any other by its declared type.
        Type type = Nullable.GetUnderlyingType(declared) ?? (declared == typeof(object) ? value.GetType() : declared);
        if (depth > 64)
        {
            throw new InvalidOperationException($"Parameters of type {type.Name} nest deeper than 64 levels (a cycle?): they cannot be fingerprinted.");
        }

        if (TryScalar(value, type, scalars) is { } scalar)
        {
            // A value that shows a secret (one from a secret source, bound to plain text) is keyed as a Secret is: the fingerprint never holds it.
            text.Append(secrets is null || ReferenceEquals(secrets.Redact(scalar), scalar) ? scalar : $"\"{SecretRedactor.Mask}\"");
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            var entries = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry entry in AsDictionary(value))
            {
                entries.Add(new((string)entry.Key, entry.Value));
            }

            WriteObject(entries, _ => valueType, text, scalars, secrets, depth);
            return;
        }

        if (value is IEnumerable items)
        {
            Type element = ParameterBinder.ElementType(type) ?? typeof(object);
            text.Append('[');
            bool first = true;
            foreach (object? item in items)
            {
                text.Append(first ? "" : ",");
                WriteValue(item, element, text, scalars, secrets, depth + 1);
                first = false;
            }

            text.Append(']');
            return;
        }

        var members = new List<KeyValuePair<string, object?>>();
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (PropertyInfo property in SerializedProperties(type))
        {
            object? member = property.GetValue(value);
            JsonIgnoreCondition? ignore = property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition;
            if ((ignore == JsonIgnoreCondition.WhenWritingNull && member is null)
                || (ignore == JsonIgnoreCondition.WhenWritingDefault && (member is null || (property.PropertyType.IsValueType && member.Equals(RuntimeHelpers.GetUninitializedObject(property.PropertyType))))))
            {
                continue;
            }

            string name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            members.Add(new(name, member));
            types[name] = property.PropertyType;
        }

        WriteObject(members, name => types[name], text, scalars, secrets, depth);
    }

    private static void WriteObject(List<KeyValuePair<string, object?>> members, Func<string, Type> typeOf, StringBuilder text, ScalarWriter scalars, SecretRedactor? secrets, int depth)
    {
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        text.Append('{');
        for (int i = 0; i < members.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(Quote(members[i].Key)).Append(':');
            WriteValue(members[i].Value, typeOf(members[i].Key), text, scalars, secrets, depth + 1);
        }

        text.Append('}');
    }

    // What System.Text.Json's reflection serializer writes for an object: its public instance properties with a public
    // getter (no indexers) and any [JsonInclude] one, less those marked [JsonIgnore] (always).
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionJustification)]
    private static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null
                && (p.GetMethod.IsPublic || p.IsDefined(typeof(JsonIncludeAttribute)))
                && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always });

    private static IDictionary AsDictionary(object value) => value as IDictionary
        ?? throw new NotSupportedException($"A parameters dictionary of type {value.GetType().Name} cannot be fingerprinted: use Dictionary<string, T> or SortedDictionary<string, T>.");

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionJustification)]
    private static Type? DictionaryValueType(Type type)
    {
        if (ParameterBinder.DictionaryValueType(type) is { } value)
        {
            return value;
        }

        foreach (Type face in type.GetInterfaces())
        {
            if (face.IsGenericType && face.GetGenericTypeDefinition() == typeof(IDictionary<,>) && face.GetGenericArguments() is [var key, var v] && key == typeof(string))
            {
                return v;
            }
        }

        return null;
    }

    // The serializer's own converters, one by one: numbers in their shortest round-trip form, dates in ISO 8601,
    // durations in the constant ("c") format, enums by name (a value with no name by number), a Secret masked.
    private static string? TryScalar(object value, Type type, ScalarWriter w) => value switch
    {
        string s => w.Format(s, static (j, v) => j.WriteStringValue(v)),
        Secret => w.Format(SecretRedactor.Mask, static (j, v) => j.WriteStringValue(v)),
        bool b => b ? "true" : "false",
        char c => w.Format(c.ToString(), static (j, v) => j.WriteStringValue(v)),
        Enum e => EnumText(e, w),
        int or long or short or sbyte => w.Format(Convert.ToInt64(value, CultureInfo.InvariantCulture), static (j, v) => j.WriteNumberValue(v)),
        uint or ulong or ushort or byte => w.Format(Convert.ToUInt64(value, CultureInfo.InvariantCulture), static (j, v) => j.WriteNumberValue(v)),
        double d => w.Format(d, static (j, v) => j.WriteNumberValue(v)),
        float f => w.Format(f, static (j, v) => j.WriteNumberValue(v)),
        decimal m => w.Format(m, static (j, v) => j.WriteNumberValue(v)),
        DateTime t => w.Format(t, static (j, v) => j.WriteStringValue(v)),
        DateTimeOffset t => w.Format(t, static (j, v) => j.WriteStringValue(v)),
        Guid g => w.Format(g, static (j, v) => j.WriteStringValue(v)),
        DateOnly d => w.Format(d.ToString("O", CultureInfo.InvariantCulture), static (j, v) => j.WriteStringValue(v)),
        TimeOnly t => w.Format(t.ToTimeSpan().ToString("c", CultureInfo.InvariantCulture), static (j, v) => j.WriteStringValue(v)),
        TimeSpan t => w.Format(t.ToString("c", CultureInfo.InvariantCulture), static (j, v) => j.WriteStringValue(v)),
        Uri u => w.Format(u.OriginalString, static (j, v) => j.WriteStringValue(v)),
        _ when type.IsPrimitive => throw new NotSupportedException($"A parameter of type {type.Name} cannot be fingerprinted: use a whole number, a number, text, a date or a duration."),
        _ => null,
    };

    private static string EnumText(Enum value, ScalarWriter w)
    {
        string name = value.ToString();
        return name.Length > 0 && (char.IsAsciiDigit(name[0]) || name[0] == '-')
            ? name
            : w.Format(name, static (j, v) => j.WriteStringValue(v));
    }

    /// <summary>One reusable buffer for single JSON values.</summary>
    private sealed class ScalarWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(256);

        public string Format<T>(T value, Action<Utf8JsonWriter, T> write)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                write(writer, value);
            }

            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }
    }
}
