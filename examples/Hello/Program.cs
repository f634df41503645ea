using Hello;
using Sluice.Cli;

return await PipelineApp.RunAsync(args, HelloPipeline.Create);
