using System.Globalization;
using StockForecaster.Calendar;

namespace Sluice.Benchmarks.ForecasterData;

/// <summary>What to generate: how many tickers, how many years ending when, from which seed and source, and where to.</summary>
public sealed class GeneratorOptions
{
    /// <summary>Gets or sets the number of tickers, named T0001, T0002, ...</summary>
    /// <value>The default value is 500.</value>
    public int Tickers { get; set; } = 500;

    /// <summary>Gets or sets how many years of trading days each ticker gets, ending at <see cref="EndDate"/>.</summary>
    /// <value>The default value is 20.</value>
    public int Years { get; set; } = 20;

    /// <summary>Gets or sets the seed; the same seed gives byte-identical files.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the last calendar day generated; fixed so that output does not depend on today's date.</summary>
    /// <value>The default value is 2025-12-31.</value>
    public DateOnly EndDate { get; set; } = new(2025, 12, 31);

    /// <summary>Gets or sets the mean length, in days, of the blocks of real returns the stationary bootstrap copies.</summary>
    /// <value>The default value is 20 (about a trading month).</value>
    public double MeanBlockLength { get; set; } = 20;

    /// <summary>Gets or sets the output folder as the user gave it; the paths in sources.json start with it unchanged.</summary>
    /// <value>The default value is "bench-data".</value>
    public string OutputDirectory { get; set; } = "bench-data";

    /// <summary>Gets or sets the real price series (Yahoo layout, any header case) whose days are resampled.</summary>
    /// <value>The default value is the bundled S&amp;P 500 series copied next to the program.</value>
    public string SourcePath { get; set; } = Path.Combine(AppContext.BaseDirectory, "data", "sp500-2000.csv");

    /// <summary>Gets or sets how many tickers are generated at once; the output does not depend on it.</summary>
    /// <value>The default value is the number of processors.</value>
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Returns every problem with these options, each naming the option, its value and the fix; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Tickers is < 1 or > 99_999)
        {
            problems.Add($"--tickers {Tickers} is out of range: use 1 to 99999.");
        }

        int maxYears = EndDate.Year - NyseCalendar.FirstYear;
        if (Years < 1 || Years > maxYears)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"--years {Years} is out of range: the NYSE calendar starts in {NyseCalendar.FirstYear}, so use 1 to {maxYears} years ending {EndDate:yyyy-MM-dd}."));
        }

        if (MeanBlockLength < 1)
        {
            problems.Add($"Mean block length {MeanBlockLength} is below 1: use at least 1 (1 is the plain i.i.d. bootstrap).");
        }

        if (Parallelism < 1)
        {
            problems.Add($"Parallelism {Parallelism} is below 1: use at least 1.");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            problems.Add("--out is empty: name the folder to write into.");
        }

        if (!File.Exists(SourcePath))
        {
            problems.Add($"Source series '{SourcePath}' does not exist: pass --source with the path of a Yahoo-layout CSV.");
        }

        return problems;
    }
}
