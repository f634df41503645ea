using Sluice.Cli;
using Sluice.Tool;
using Sluice.Yaml;

if (args.Length > 0 && args[0] == "init")
{
    return ProjectScaffold.Run(args[1..], Console.Out, Console.Error);
}

ToolArguments tool = ToolArguments.Parse(args, Environment.GetEnvironmentVariable("SLUICE_PROJECT_DIR"));
int code = await PipelineApp.RunAsync(tool.Remaining, () => YamlPipeline.Load(tool.PipelineFile, tool.DisplayName));
if (args is ["--help"] or ["-h"] or ["-?"])
{
    // The tool's own additions to the shared command line's help.
    Console.Out.Write("Also:\n  init [DIR]         Create a new project with a working sluice.yaml; never overwrites a file.\n  --file <file>      The pipeline file, relative to the project folder. Default: sluice.yaml.\n\n");
}

return code;
