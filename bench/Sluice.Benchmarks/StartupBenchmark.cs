using System.Diagnostics;
using System.Globalization;

namespace Sluice.Benchmarks;

/// <summary>Time from starting a pipeline app's process to the first line it prints (for <c>plan</c>), and to its exit.</summary>
internal static class StartupBenchmark
{
    public static async Task<int> RunAsync(string command, string[] arguments, string workingDirectory, int runs)
    {
        var first = new List<double>();
        var exit = new List<double>();
        for (int i = 0; i < runs + 1; i++)
        {
            var start = new ProcessStartInfo(command)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = workingDirectory,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            long t0 = Stopwatch.GetTimestamp();
            using Process process = Process.Start(start)!;
            string? line = await process.StandardOutput.ReadLineAsync();
            double firstLine = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            double exited = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (process.ExitCode != 0 || line is null)
            {
                Console.Error.WriteLine($"{command} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
                return 1;
            }

            // The first start warms the disk cache; it is not counted.
            if (i > 0)
            {
                first.Add(firstLine);
                exit.Add(exited);
            }
        }

        first.Sort();
        exit.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(command)} {string.Join(' ', arguments)}: first line min {first[0]:F0} ms, median {first[first.Count / 2]:F0} ms; exit median {exit[exit.Count / 2]:F0} ms ({runs} runs)"));
        return 0;
    }
}
