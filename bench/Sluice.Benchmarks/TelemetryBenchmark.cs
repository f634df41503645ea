using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sluice.Telemetry;

namespace Sluice.Benchmarks;

/// <summary>The scheduling benchmark with Sluice's logs, metrics and traces listened to, against the same run with nothing listening.</summary>
/// <remarks>
/// "On" is what an exporter costs Sluice: a <see cref="MeterListener"/> enabled on every Sluice instrument, an
/// <see cref="ActivityListener"/> sampling every activity, and a logger factory at Information whose sink formats each
/// message (and only counts it). Off and on alternate within one process, so both see the same machine and JIT state.
/// </remarks>
internal static class TelemetryBenchmark
{
    public static async Task<int> RunAsync(int[] sizes, int repeat, int parallel, string[] listen, string storeKind, bool log)
    {
        Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}; max-parallel {parallel}; store {storeKind}; log {(log ? "jsonl" : "none")}; on = {string.Join('+', listen)}; best of {repeat}, off and on alternating");
        Console.WriteLine("shape    steps   off us/step   on us/step   overhead   median pair   off cpu us/step   on cpu us/step   cpu overhead   off B/step   on B/step   log lines   measurements   activities");
        foreach (string shape in new[] { "chain", "fanout" })
        {
            foreach (int n in sizes)
            {
                var off = new List<(TimeSpan Wall, TimeSpan Cpu)>();
                var on = new List<(TimeSpan Wall, TimeSpan Cpu)>();
                long offBytes = long.MaxValue;
                long onBytes = long.MaxValue;
                Listening? last = null;
                for (int r = 0; r < repeat; r++)
                {
                    // Alternate which goes first, so a drift in the machine's load does not favour one side.
                    for (int side = 0; side < 2; side++)
                    {
                        if ((side == 0) == (r % 2 == 0))
                        {
                            TimeSpan cpu = Cpu();
                            long bytes = GC.GetTotalAllocatedBytes(precise: true);
                            SchedulingResult result = await SchedulingBenchmark.RunAsync(shape, n, parallel, storeKind, log);
                            offBytes = Math.Min(offBytes, GC.GetTotalAllocatedBytes(precise: true) - bytes);
                            off.Add((result.Run, Cpu() - cpu));
                        }
                        else
                        {
                            last?.Dispose();
                            last = new Listening(listen);
                            TimeSpan cpu = Cpu();
                            long bytes = GC.GetTotalAllocatedBytes(precise: true);
                            SchedulingResult result = await SchedulingBenchmark.RunAsync(shape, n, parallel, storeKind, log, last.Factory);
                            onBytes = Math.Min(onBytes, GC.GetTotalAllocatedBytes(precise: true) - bytes);
                            on.Add((result.Run, Cpu() - cpu));
                            last.Stop();
                        }
                    }
                }

                // Best of each side, and the median of each pair's ratio: on a shared machine the second is steadier.
                double offPerStep = off.Min(x => x.Wall).TotalMicroseconds / n;
                double onPerStep = on.Min(x => x.Wall).TotalMicroseconds / n;
                double medianPair = Median(off.Zip(on, (a, b) => b.Wall / a.Wall - 1));
                TimeSpan offCpu = off.Min(x => x.Cpu);
                TimeSpan onCpu = on.Min(x => x.Cpu);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{shape,-7} {n,6} {offPerStep,13:F1} {onPerStep,12:F1} {(onPerStep / offPerStep - 1) * 100,9:F1}% {medianPair * 100,12:F1}% {offCpu.TotalMicroseconds / n,17:F1} {onCpu.TotalMicroseconds / n,16:F1} {(onCpu / offCpu - 1) * 100,13:F1}% {offBytes / n,12} {onBytes / n,11} {last!.Lines,11} {last.Measurements,14} {last.Activities,12}"));
                last.Dispose();
            }
        }

        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The whole process's CPU time: on a shared machine it varies less than wall time, and it counts every thread's work.
    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>Everything an exporter would attach, with sinks that do the minimum a real one must (format, count).</summary>
    private sealed class Listening : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private long _lines;
        private long _measurements;
        private long _activityCount;

        public Listening(string[] listen)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (listen.Contains("metrics") && instrument.Meter.Name == SluiceTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = source => listen.Contains("traces") && source.Name == SluiceTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _activityCount),
            };
            ActivitySource.AddActivityListener(_activities);
            Factory = LoggerFactory.Create(b => b.SetMinimumLevel(listen.Contains("logs") ? LogLevel.Information : LogLevel.None).AddProvider(new CountingProvider(this)));
        }

        public ILoggerFactory Factory { get; }

        public long Lines => Interlocked.Read(ref _lines);

        public long Measurements => Interlocked.Read(ref _measurements);

        public long Activities => Interlocked.Read(ref _activityCount);

        /// <summary>Stops listening, so the next "off" run finds nothing attached.</summary>
        public void Stop()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        public void Dispose()
        {
            Stop();
            Factory.Dispose();
        }

        private sealed class CountingProvider(Listening owner) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new CountingLogger(owner);

            public void Dispose()
            {
            }
        }

        private sealed class CountingLogger(Listening owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (formatter(state, exception).Length > 0)
                {
                    Interlocked.Increment(ref owner._lines);
                }
            }
        }
    }
}
