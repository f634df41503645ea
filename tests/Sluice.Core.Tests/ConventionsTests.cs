using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Sluice.Definitions;

namespace Sluice;

/// <summary>House rules that a build must not break (STYLE.md): checked on the sources and the engine's references.</summary>
public sealed partial class ConventionsTests
{
    private static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Fact]
    public void Core_ReferencesNoDatabaseWebOrCommandLineAssembly()
    {
        string[] forbidden = ["Microsoft.Data.Sqlite", "Npgsql", "Hangfire", "System.CommandLine", "Microsoft.AspNetCore", "Spectre.Console"];
        AssemblyName[] references = typeof(Pipeline).Assembly.GetReferencedAssemblies();
        Assert.DoesNotContain(references, r => forbidden.Any(f => r.Name!.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void EverySourceFile_DeclaresTheNamespaceOfItsFolder()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        var wrong = new List<string>();
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(src, file);
            string[] parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("obj") || parts.Contains("bin"))
            {
                continue;
            }

            // src/Sluice.Core is the root namespace 'Sluice'; other projects keep their name.
            string root = parts[0] == "Sluice.Core" ? "Sluice" : parts[0];
            string expected = string.Join('.', parts[1..^1].Prepend(root));
            Match declared = NamespacePattern().Match(File.ReadAllText(file));
            if (!declared.Success)
            {
                continue; // top-level statements
            }

            if (declared.Groups[1].Value != expected)
            {
                wrong.Add($"{relative}: namespace {declared.Groups[1].Value}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, "Folder = namespace is broken:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void EveryTodo_NamesItsIssue()
    {
        var bare = new List<string>();
        foreach (string file in Directory.EnumerateFiles(RepositoryRoot(), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("TODO", StringComparison.Ordinal) && !TodoWithIssue().IsMatch(lines[i]) && !file.EndsWith("ConventionsTests.cs", StringComparison.Ordinal))
                {
                    bare.Add($"{Path.GetRelativePath(RepositoryRoot(), file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(bare.Count == 0, "A TODO names its issue, as 'TODO(#3): ...':\n" + string.Join('\n', bare));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"TODO\(#\d+\)")]
    private static partial Regex TodoWithIssue();
}
