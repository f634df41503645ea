namespace Sluice.State;

/// <summary>Who took a <see cref="RunMeasurement"/>; stored as <c>engine</c> or <c>step</c>.</summary>
public enum MeasurementSource
{
    /// <summary>Sluice, about the whole run (steps, attempts, duration, bytes).</summary>
    Engine,

    /// <summary>A step, through <c>ctx.Metrics.Record</c>.</summary>
    Step,
}
