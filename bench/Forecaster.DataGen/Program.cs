using System.Diagnostics;
using System.Globalization;
using Sluice.Benchmarks.ForecasterData;

// Generates the forecaster benchmark's input: N synthetic tickers of Y years of daily bars each,
// resampled from the real S&P 500 series onto real NYSE trading days.
// Usage: Forecaster.DataGen --tickers 500 --years 20 --seed 1 --out DIR [--source CSV] [--end 2025-12-31] [--parallel N]
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("Usage: Forecaster.DataGen --tickers N --years Y --seed S --out DIR [--source CSV] [--end YYYY-MM-DD] [--parallel N]");
    return 0;
}

var options = new GeneratorOptions();
try
{
    options.Tickers = Number("--tickers", options.Tickers);
    options.Years = Number("--years", options.Years);
    options.Seed = Number("--seed", options.Seed);
    options.Parallelism = Number("--parallel", options.Parallelism);
    options.OutputDirectory = Arg("--out") ?? options.OutputDirectory;
    options.SourcePath = Arg("--source") ?? options.SourcePath;
    if (Arg("--end") is string end)
    {
        options.EndDate = DateOnly.ParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

IReadOnlyList<string> problems = options.Validate();
if (problems.Count > 0)
{
    foreach (string problem in problems)
    {
        Console.Error.WriteLine(problem);
    }

    return 2;
}

try
{
    var clock = Stopwatch.StartNew();
    DataSetSummary summary = DataSetWriter.Write(options);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"wrote {summary.Files} files, {summary.Rows:N0} rows ({summary.Bytes / (1024.0 * 1024):F1} MiB), {summary.FirstDate:yyyy-MM-dd}..{summary.LastDate:yyyy-MM-dd}, and {summary.SourcesPath} in {clock.Elapsed.TotalSeconds:F2} s"));
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Number(string name, int fallback)
{
    string? text = Arg(name);
    if (text is null)
    {
        return fallback;
    }

    return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
        ? value
        : throw new FormatException($"{name} '{text}' is not a whole number.");
}
