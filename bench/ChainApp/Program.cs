using System.Globalization;
using Sluice.Cli;
using Sluice.Definitions;

// ChainApp N <sluice command line...>: a pipeline of N chained no-op steps, the same pipeline (name, steps, outputs)
// as 'Sluice.Benchmarks chain-app', so either build reuses the other's checkpoints in one project folder.
if (args.Length < 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
{
    Console.Error.WriteLine("usage: ChainApp N <command> [options]   (N: how many chained steps, at least 1)");
    return 2;
}

return await PipelineApp.RunAsync(args[1..], () => Pipeline.Define("chain", p =>
{
    Artifact<int> previous = p.Step("s0").Executes(ctx => 0);
    for (int i = 1; i < n; i++)
    {
        previous = p.Step($"s{i}").Executes(previous, (ctx, x) => x + 1);
    }
}));
