using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sluice.Telemetry;

/// <summary>The names of Sluice's <see cref="ActivitySource"/>, <see cref="Meter"/> and instruments: a stable contract for exporters and dashboards.</summary>
/// <remarks>
/// One source and one meter, both named <see cref="Name"/>. Instruments are recorded only while something listens
/// (an OpenTelemetry provider, a <see cref="MeterListener"/>); a run decides at its start whether anything does.
/// </remarks>
public static class SluiceTelemetry
{
    /// <summary>The name of the activity source and the meter: subscribe to it with <c>AddSource("Sluice")</c> and <c>AddMeter("Sluice")</c>.</summary>
    public const string Name = "Sluice";

    /// <summary>Histogram, seconds: a step's wall time from its first attempt's start to its end; tags pipeline, step, outcome.</summary>
    public const string StepDuration = "sluice.step.duration";

    /// <summary>Counter: attempts of steps, counted as they end; tags pipeline, step, outcome (the attempt's).</summary>
    public const string StepAttempts = "sluice.step.attempts";

    /// <summary>Counter: retries (a failed attempt followed by another); tags pipeline, step.</summary>
    public const string StepRetries = "sluice.step.retries";

    /// <summary>Counter: steps that failed for good; tags pipeline, step.</summary>
    public const string StepFailures = "sluice.step.failures";

    /// <summary>Counter: steps whose checkpoint was reused; tags pipeline, step.</summary>
    public const string ReuseHits = "sluice.reuse.hits";

    /// <summary>Counter: steps that ran because no checkpoint matched (counted only when checkpointing is on); tags pipeline, step.</summary>
    public const string ReuseMisses = "sluice.reuse.misses";

    /// <summary>Histogram, seconds: a run's wall time; tags pipeline, outcome.</summary>
    public const string RunDuration = "sluice.run.duration";

    /// <summary>Counter, bytes: artifact bytes stored by steps; tags pipeline, step.</summary>
    public const string ArtifactWritten = "sluice.artifact.written";

    /// <summary>Counter, bytes: artifact bytes published under their names; tags pipeline, step.</summary>
    public const string ArtifactPublished = "sluice.artifact.published";

    /// <summary>Gauge: the last value a step recorded with <c>ctx.Metrics.Record</c>; tags pipeline, step, measurement, unit.</summary>
    public const string StepMeasurement = "sluice.step.measurement";

    /// <summary>Activity operation name of a run.</summary>
    public const string RunActivity = "sluice.run";

    /// <summary>Activity operation name of one attempt of a step, a child of its run's activity.</summary>
    public const string AttemptActivity = "sluice.step";

    private static readonly string? Version = typeof(SluiceTelemetry).Assembly.GetName().Version?.ToString();

    internal static ActivitySource Source { get; } = new(Name, Version);

    internal static Meter Meter { get; } = new(Name, Version);

    // Exporters default to millisecond-sized buckets; steps and runs take from milliseconds to hours.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200],
    };

    internal static Histogram<double> StepDurationSeconds { get; } = Meter.CreateHistogram(StepDuration, "s", "Wall time of a step, from its first attempt's start to its end.", null, SecondsBuckets);

    internal static Counter<long> Attempts { get; } = Meter.CreateCounter<long>(StepAttempts, "{attempt}", "Attempts of steps, counted as they end.");

    internal static Counter<long> Retries { get; } = Meter.CreateCounter<long>(StepRetries, "{retry}", "Failed attempts followed by another attempt.");

    internal static Counter<long> Failures { get; } = Meter.CreateCounter<long>(StepFailures, "{step}", "Steps that failed for good.");

    internal static Counter<long> Hits { get; } = Meter.CreateCounter<long>(ReuseHits, "{step}", "Steps whose checkpoint was reused.");

    internal static Counter<long> Misses { get; } = Meter.CreateCounter<long>(ReuseMisses, "{step}", "Steps that ran because no checkpoint matched.");

    internal static Histogram<double> RunDurationSeconds { get; } = Meter.CreateHistogram(RunDuration, "s", "Wall time of a run.", null, SecondsBuckets);

    internal static Counter<long> BytesWritten { get; } = Meter.CreateCounter<long>(ArtifactWritten, "By", "Artifact bytes stored by steps.");

    internal static Counter<long> BytesPublished { get; } = Meter.CreateCounter<long>(ArtifactPublished, "By", "Artifact bytes published under their names.");

    internal static Gauge<double> Measurements { get; } = Meter.CreateGauge<double>(StepMeasurement, null, "Measurements steps record with ctx.Metrics.Record.");

    /// <summary>Gets whether any Sluice instrument has a listener now.</summary>
    internal static bool AnyInstrumentEnabled =>
        StepDurationSeconds.Enabled || Attempts.Enabled || Retries.Enabled || Failures.Enabled || Hits.Enabled || Misses.Enabled
        || RunDurationSeconds.Enabled || BytesWritten.Enabled || BytesPublished.Enabled || Measurements.Enabled;
}
