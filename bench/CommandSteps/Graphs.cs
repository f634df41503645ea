using System.Globalization;
using Sluice.Definitions;

namespace CommandSteps;

/// <summary>The benchmark's graphs of command steps that each create one small file with <c>touch</c>.</summary>
internal static class Graphs
{
    /// <summary>Defines a chain (each step after the previous) or a 1 -> N -> 1 fan-out of <paramref name="steps"/> steps in all.</summary>
    public static Pipeline Define(string shape, int steps) => Pipeline.Define("commands-" + shape, p =>
    {
        if (shape == "chain")
        {
            for (int i = 0; i < steps; i++)
            {
                int index = i;
                p.Command(Name(index), c => (index == 0 ? c : c.Inputs(File(index - 1))).Run("touch", "{out:0}").Outputs(File(index)));
            }
        }
        else
        {
            p.Command(Name(0), c => c.Run("touch", "{out:0}").Outputs(File(0)));
            for (int i = 1; i < steps - 1; i++)
            {
                int index = i;
                p.Command(Name(index), c => c.Inputs(File(0)).Run("touch", "{out:0}").Outputs(File(index)));
            }

            p.Command(Name(steps - 1), c => c.Inputs([.. Enumerable.Range(1, steps - 2).Select(File)]).Run("touch", "{out:0}").Outputs(File(steps - 1)));
        }
    });

    public static string Name(int i) => "s" + i.ToString("D4", CultureInfo.InvariantCulture);

    public static string File(int i) => $"out/{Name(i)}.txt";
}
