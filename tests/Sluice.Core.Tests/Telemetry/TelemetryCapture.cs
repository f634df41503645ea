using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sluice.Telemetry;

/// <summary>Listens to the "Sluice" meter and activity source as an exporter would, keeping what one pipeline produced.</summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly string _pipeline;
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentQueue<Measured> _measured = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public TelemetryCapture(string pipeline, bool meters = true, bool activities = true)
    {
        _pipeline = pipeline;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (meters && instrument.Meter.Name == SluiceTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Keep(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Keep(i, v, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => activities && source.Name == SluiceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.GetTagItem("sluice.pipeline") as string == _pipeline)
                {
                    _stopped.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public IReadOnlyList<Measured> Measurements => [.. _measured];

    public IReadOnlyList<Activity> Activities => [.. _stopped];

    /// <summary>Returns the measurements of one instrument, each as its value and tags.</summary>
    public IReadOnlyList<Measured> Of(string instrument) => [.. _measured.Where(m => m.Instrument == instrument)];

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            all[tag.Key] = tag.Value?.ToString();
        }

        if (all.GetValueOrDefault("pipeline") == _pipeline)
        {
            _measured.Enqueue(new Measured(instrument.Name, instrument.Unit, value, all));
        }
    }

    /// <summary>One measurement: instrument, unit, value and tags.</summary>
    internal sealed record Measured(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Step => Tags.GetValueOrDefault("step");

        public string? Outcome => Tags.GetValueOrDefault("outcome");
    }
}
