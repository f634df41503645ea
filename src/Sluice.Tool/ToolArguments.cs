namespace Sluice.Tool;

/// <summary>The sluice tool's own options, taken out of the command line before the rest goes to the Sluice command line.</summary>
/// <param name="PipelineFile">The absolute path of the pipeline file.</param>
/// <param name="DisplayName">How messages name the pipeline file: as the user would type it.</param>
/// <param name="Remaining">The arguments for <c>PipelineApp</c>: everything but <c>--file</c>.</param>
internal sealed record ToolArguments(string PipelineFile, string DisplayName, string[] Remaining)
{
    /// <summary>Finds the pipeline file: <c>--file</c> (relative to the project folder), else <c>sluice.yaml</c> in <c>--project-dir</c>/<c>-C</c>, <paramref name="projectFromEnvironment"/>, or the current folder.</summary>
    public static ToolArguments Parse(string[] args, string? projectFromEnvironment)
    {
        string? file = null;
        string? project = null;
        var remaining = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                remaining.AddRange(args[i..]);
                break;
            }

            // No short form: '-f' is graph's --format.
            if (arg == "--file" && i + 1 < args.Length)
            {
                file = args[++i];
                continue;
            }

            if (arg.StartsWith("--file=", StringComparison.Ordinal))
            {
                file = arg["--file=".Length..];
                continue;
            }

            // The project folder is Sluice's own option too: read here, and passed on.
            if ((arg is "--project-dir" or "-C") && i + 1 < args.Length)
            {
                project = args[i + 1];
            }
            else if (arg.StartsWith("--project-dir=", StringComparison.Ordinal))
            {
                project = arg["--project-dir=".Length..];
            }

            remaining.Add(arg);
        }

        string root = Path.GetFullPath(project ?? (string.IsNullOrEmpty(projectFromEnvironment) ? "." : projectFromEnvironment));
        string path = Path.GetFullPath(Path.Combine(root, file ?? Yaml.YamlPipeline.DefaultFileName));
        string display = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return new ToolArguments(path, display, [.. remaining]);
    }
}
