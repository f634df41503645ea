namespace Sluice.Yaml;

/// <summary>A node of a YAML document with the position it starts at; a small tree of plain data, so no alias can expand it.</summary>
internal abstract record YamlNode(int Line, int Column)
{
    /// <summary>Gets what kind of value this is, for "expected X, found Y" messages.</summary>
    public abstract string Kind { get; }
}

/// <summary>A text value; <see cref="IsPlain"/> tells an unquoted scalar (where <c>null</c> and <c>~</c> mean nothing) from a quoted one.</summary>
internal sealed record YamlScalar(int Line, int Column, string Value, bool IsPlain) : YamlNode(Line, Column)
{
    /// <inheritdoc/>
    public override string Kind => IsNull ? "nothing (null)" : $"the text '{Value}'";

    /// <summary>Gets whether the scalar is YAML's null: empty, <c>~</c> or <c>null</c>, unquoted.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>A list of values.</summary>
internal sealed record YamlSequence(int Line, int Column, IReadOnlyList<YamlNode> Items) : YamlNode(Line, Column)
{
    /// <inheritdoc/>
    public override string Kind => "a list";
}

/// <summary>A map from text keys to values, in the document's order.</summary>
internal sealed record YamlMapping(int Line, int Column, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Line, Column)
{
    /// <inheritdoc/>
    public override string Kind => "a map";
}
