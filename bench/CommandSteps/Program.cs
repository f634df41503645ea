using System.Globalization;
using CommandSteps;
using Sluice.Cli;

// The graph's shape and size come from the environment so the same binary serves every case of bench/commands.sh.
string shape = Environment.GetEnvironmentVariable("BENCH_SHAPE") ?? "chain";
int steps = int.Parse(Environment.GetEnvironmentVariable("BENCH_STEPS") ?? "1000", CultureInfo.InvariantCulture);
return await PipelineApp.RunAsync(args, () => Graphs.Define(shape, steps));
