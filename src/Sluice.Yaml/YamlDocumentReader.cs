using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sluice.Yaml;

/// <summary>Reads one YAML document into plain <see cref="YamlNode"/>s from the parser's events, refusing what a pipeline file never needs.</summary>
/// <remarks>
/// Tags are refused because they are how YAML loaders are talked into building arbitrary objects (<c>!!python/object</c>).
/// Anchors and aliases are refused outright: an alias bomb (a few lines that expand to billions of nodes) cannot be built
/// when no alias is ever followed, and a pipeline file gains little from them. Duplicate keys are refused because
/// YAML says the later one silently wins, which hides mistakes.
/// </remarks>
internal sealed class YamlDocumentReader
{
    private readonly Parser _parser;
    private readonly YamlProblems _problems;

    private YamlDocumentReader(string text, YamlProblems problems)
    {
        _parser = new Parser(new StringReader(text));
        _problems = problems;
    }

    /// <summary>Gets the largest file read, in characters: a pipeline file is a few kilobytes; a megabyte is a mistake or an attack.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Gets the deepest nesting read; a pipeline needs four levels, and deep nesting exhausts the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>Returns the document's root, or null when the text is empty or has a problem (recorded in <paramref name="problems"/>).</summary>
    public static YamlNode? Read(string text, YamlProblems problems)
    {
        if (text.Length > MaxLength)
        {
            problems.Add(1, 1, "", $"the file has {text.Length} characters, more than the limit of {MaxLength}: a pipeline file is a few kilobytes; split data out into config/ or data/.");
            return null;
        }

        var reader = new YamlDocumentReader(text, problems);
        Parser parser = reader._parser;
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            YamlNode? root = reader.ReadNode("", 0);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart next)
            {
                problems.Add(Line(next.Start), Column(next.Start), "", "the file has a second YAML document ('---'): a sluice.yaml holds one pipeline; remove the second document.");
            }

            return root;
        }
        catch (YamlException e)
        {
            // The parser cannot go on after a syntax error, so this is the one problem reported from here.
            problems.Add(Line(e.Start), Column(e.Start), "", $"YAML syntax error: {Clean(e.Message)}. Check indentation, quotes and ':' around this position.");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, for some unterminated flow collections.
            problems.Add(reader.LastLine, 1, "", "YAML syntax error: the text ends inside a '[...]' or '{...}' that is not closed. Check the brackets and quotes from this line on.");
            return null;
        }
    }

    private int LastLine { get; set; } = 1;

    private YamlNode? ReadNode(string path, int depth)
    {
        IParser parser = _parser;
        YamlProblems problems = _problems;
        ParsingEvent e = parser.Current ?? throw new YamlException("unexpected end of the document");
        LastLine = Line(e.Start);
        if (depth > MaxDepth)
        {
            throw new YamlException(e.Start, e.End, $"values nested deeper than {MaxDepth} levels");
        }

        switch (e)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                problems.Add(Line(alias.Start), Column(alias.Start), path, $"alias '*{alias.Value}' is not allowed: sluice.yaml refuses anchors and aliases (they allow alias bombs); write the value out.");
                return null;
            case Scalar scalar:
                parser.MoveNext();
                Refuse(scalar, scalar.Anchor, scalar.Tag, path, problems);
                return new YamlScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
            case SequenceStart start:
                {
                    parser.MoveNext();
                    Refuse(start, start.Anchor, start.Tag, path, problems);
                    var items = new List<YamlNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        if (ReadNode(path, depth + 1) is { } item)
                        {
                            items.Add(item);
                        }
                    }

                    return new YamlSequence(Line(start.Start), Column(start.Start), items);
                }

            case MappingStart start:
                {
                    parser.MoveNext();
                    Refuse(start, start.Anchor, start.Tag, path, problems);
                    var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                    var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        YamlNode? key = ReadNode(path, depth + 1);
                        string keyPath = key is YamlScalar k ? (path.Length == 0 ? k.Value : $"{path}.{k.Value}") : path;
                        YamlNode? value = ReadNode(keyPath, depth + 1);
                        if (key is not YamlScalar name)
                        {
                            if (key is not null)
                            {
                                problems.Add(key, path, $"a key must be a name, found {key.Kind}.");
                            }

                            continue;
                        }

                        if (seen.TryGetValue(name.Value, out YamlScalar? first))
                        {
                            problems.Add(name, keyPath, $"duplicate key: '{name.Value}' is already set at line {first.Line}; YAML would keep only the last one. Remove or merge one of them.");
                            continue;
                        }

                        seen.Add(name.Value, name);
                        if (value is not null)
                        {
                            entries.Add(new(name, value));
                        }
                    }

                    return new YamlMapping(Line(start.Start), Column(start.Start), entries);
                }

            default:
                throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
        }
    }

    private static void Refuse(ParsingEvent e, AnchorName anchor, TagName tag, string path, YamlProblems problems)
    {
        if (!tag.IsEmpty)
        {
            problems.Add(Line(e.Start), Column(e.Start), path, $"tag '{tag}' is not allowed: sluice.yaml refuses explicit tags (they ask a loader to build objects); remove it and write a plain value.");
        }

        if (!anchor.IsEmpty)
        {
            problems.Add(Line(e.Start), Column(e.Start), path, $"anchor '&{anchor}' is not allowed: sluice.yaml refuses anchors and aliases (they allow alias bombs); write the value out.");
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is already in front of the problem.
        int marker = message.IndexOf("): ", StringComparison.Ordinal);
        string text = marker >= 0 && message.StartsWith('(') ? message[(marker + 3)..] : message;
        return text.TrimEnd('.');
    }

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;
}
