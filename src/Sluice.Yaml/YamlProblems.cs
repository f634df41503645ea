namespace Sluice.Yaml;

/// <summary>Collects the problems of one file, each located as <c>file:line:column</c> and naming the key.</summary>
internal sealed class YamlProblems(string file)
{
    private readonly List<(int Line, int Column, string Text)> _problems = [];

    /// <summary>Gets the file name the problems are reported against.</summary>
    public string File { get; } = file;

    /// <summary>Gets whether any problem was found.</summary>
    public bool Any => _problems.Count > 0;

    /// <summary>Records a problem at a node; <paramref name="key"/> is the dotted path of the key (for example <c>steps.fetch.retry</c>), or empty.</summary>
    public void Add(YamlNode at, string key, string message) => Add(at.Line, at.Column, key, message);

    /// <summary>Records a problem at a position.</summary>
    public void Add(int line, int column, string key, string message)
    {
        string where = key.Length == 0 ? "" : $"{key}: ";
        _problems.Add((line, column, $"{File}:{line}:{column}: {where}{message}"));
    }

    /// <summary>Returns every problem, in the order of the file.</summary>
    public IReadOnlyList<string> ToList() =>
        [.. _problems.OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.Text).Distinct(StringComparer.Ordinal)];
}
