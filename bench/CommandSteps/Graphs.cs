using System.Globalization;
using Sluice.Definitions;

namespace CommandSteps;

/// <summary>The benchmark's graphs of command steps that each create one small file with <c>touch</c>, or a file of N MiB with <c>dd</c>.</summary>
internal static class Graphs
{
    /// <summary>Gets the size of each step's output in MiB, from BENCH_MIB; 0 (the default) makes an empty file with <c>touch</c>.</summary>
    private static int Mebibytes { get; } = int.Parse(Environment.GetEnvironmentVariable("BENCH_MIB") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Defines a chain (each step after the previous) or a 1 -> N -> 1 fan-out of <paramref name="steps"/> steps in all.</summary>
    public static Pipeline Define(string shape, int steps) => Pipeline.Define("commands-" + shape, p =>
    {
        if (shape == "chain")
        {
            for (int i = 0; i < steps; i++)
            {
                int index = i;
                p.Command(Name(index), c => (index == 0 ? c : c.Inputs(File(index - 1))).Run(Program, Arguments).Outputs(File(index)));
            }
        }
        else
        {
            p.Command(Name(0), c => c.Run(Program, Arguments).Outputs(File(0)));
            for (int i = 1; i < steps - 1; i++)
            {
                int index = i;
                p.Command(Name(index), c => c.Inputs(File(0)).Run(Program, Arguments).Outputs(File(index)));
            }

            p.Command(Name(steps - 1), c => c.Inputs([.. Enumerable.Range(1, steps - 2).Select(File)]).Run(Program, Arguments).Outputs(File(steps - 1)));
        }
    });

    private static string Program => Mebibytes == 0 ? "touch" : "dd";

    // dd writes real pages (not a sparse file), so the outputs are hashed, fsynced and renamed at their full size.
    private static string[] Arguments => Mebibytes == 0
        ? ["{out:0}"]
        : ["if=/dev/zero", "of={out:0}", "bs=1M", $"count={Mebibytes.ToString(CultureInfo.InvariantCulture)}", "status=none"];

    public static string Name(int i) => "s" + i.ToString("D4", CultureInfo.InvariantCulture);

    public static string File(int i) => $"out/{Name(i)}.txt";
}
