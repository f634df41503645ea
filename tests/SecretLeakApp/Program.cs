using Sluice.Cli;

return await PipelineApp.RunAsync(args, SecretLeakApp.LeakPipeline.Create);
