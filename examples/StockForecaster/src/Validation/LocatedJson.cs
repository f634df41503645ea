using System.Text.Json;

namespace StockForecaster.Validation;

/// <summary>A parsed JSON value that remembers the line it starts on, so contract errors can point into the file (JsonDocument forgets positions).</summary>
internal sealed class LocatedJson
{
    private LocatedJson(JsonValueKind kind, int line, string? text)
    {
        Kind = kind;
        Line = line;
        Text = text;
    }

    /// <summary>Gets the kind of value.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>Gets the 1-based line the value starts on.</summary>
    public int Line { get; }

    /// <summary>Gets a string's value or a number's text as written; null for other kinds.</summary>
    public string? Text { get; }

    /// <summary>Gets an object's properties in file order, each with the line of its key.</summary>
    public List<(string Name, int Line, LocatedJson Value)> Properties { get; } = [];

    /// <summary>Gets an array's items in order.</summary>
    public List<LocatedJson> Items { get; } = [];

    /// <summary>Parses UTF-8 JSON allowing comments and trailing commas; throws <see cref="JsonException"/> with a line number when it is not JSON.</summary>
    public static LocatedJson Parse(ReadOnlySpan<byte> utf8)
    {
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        LocatedJson root = ReadValue(ref reader, lineStarts);
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the end of the JSON value.", null, LineOf(reader.TokenStartIndex, lineStarts) - 1, null);
        }

        return root;
    }

    /// <summary>Describes the kind for messages, for example "a string".</summary>
    public string Describe() => Kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"\"{Text}\"",
        JsonValueKind.Number => Text!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static LocatedJson ReadValue(ref Utf8JsonReader reader, List<int> lineStarts)
    {
        int line = LineOf(reader.TokenStartIndex, lineStarts);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new LocatedJson(JsonValueKind.Object, line, null);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    int keyLine = LineOf(reader.TokenStartIndex, lineStarts);
                    reader.Read();
                    obj.Properties.Add((name, keyLine, ReadValue(ref reader, lineStarts)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new LocatedJson(JsonValueKind.Array, line, null);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader, lineStarts));
                }

                return array;
            case JsonTokenType.String:
                return new LocatedJson(JsonValueKind.String, line, reader.GetString());
            case JsonTokenType.Number:
                return new LocatedJson(JsonValueKind.Number, line, System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new LocatedJson(JsonValueKind.True, line, null);
            case JsonTokenType.False:
                return new LocatedJson(JsonValueKind.False, line, null);
            default:
                return new LocatedJson(JsonValueKind.Null, line, null);
        }
    }

    private static int LineOf(long offset, List<int> lineStarts)
    {
        int index = lineStarts.BinarySearch((int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
