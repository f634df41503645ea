using System.Diagnostics;
using StockForecaster.Models;
using Xunit.Abstractions;

namespace StockForecaster.Tests.Models;

// The test project also references Forecaster.DataGen, whose global namespace 'Forecaster' would otherwise hide the type.
using Forecaster = StockForecaster.Models.Forecaster;

/// <summary>The benchmark-shaped workload, timed by hand: remove Skip and run in Release to see the figure; no timing is asserted.</summary>
public sealed class ForecasterBenchmark(ITestOutputHelper output)
{
    [Fact(Skip = "Manual timing: 500 tickers x 5,000 days, AR(1), window 500, test 1,000, refit daily (500,000 fits).")]
    public void Fit_500TickersAr1RefitDaily_ReportsElapsedTime()
    {
        var series = Enumerable.Range(0, 500)
            .Select(i => Synthetic.Series($"T{i:D3}", Synthetic.Prices(Synthetic.ArReturns(4_999, 0.0002, [0.05], 0.015, seed: i))))
            .ToArray();
        var settings = new ModelSettings { Order = 1, WindowDays = 500, TestDays = 1_000, RefitEvery = 1 };
        var calendar = new WeekendsOnlyCalendar();
        Forecaster.Fit(Synthetic.Clean(series[..4]), settings, calendar, null);

        // CPU time alongside wall time: on a shared machine the wall clock also counts other people's work.
        for (int run = 0; run < 3; run++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            ModelReport report = Forecaster.Fit(Synthetic.Clean(series), settings, calendar, null);
            stopwatch.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            output.WriteLine($"{report.Tickers.Length} tickers: {stopwatch.Elapsed.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU on {Environment.ProcessorCount} cores");
        }
    }
}
