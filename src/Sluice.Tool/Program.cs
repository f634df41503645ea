using Sluice.Cli;
using Sluice.Tool;
using Sluice.Yaml;

if (args.Length > 0 && args[0] == "init")
{
    return ProjectScaffold.Run(args[1..], Console.Out, Console.Error);
}

ToolArguments tool = ToolArguments.Parse(args, Environment.GetEnvironmentVariable("SLUICE_PROJECT_DIR"));
return await PipelineApp.RunAsync(tool.Remaining, () => YamlPipeline.Load(tool.PipelineFile, tool.DisplayName));
