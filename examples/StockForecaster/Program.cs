using Sluice.Cli;
using StockForecaster;

return await PipelineApp.RunAsync(args, ForecasterPipeline.Create);
