namespace Sluice.State;

/// <summary>One measurement kept with a run: an engine figure about the whole run, or a value a step recorded with <c>ctx.Metrics</c>.</summary>
/// <param name="Step">The step that recorded it, or <see langword="null"/> for the run's own figures.</param>
/// <param name="Name">The measurement's name, such as <c>attempts</c> or <c>rows_ingested</c>.</param>
/// <param name="Value">Its value; a step that records a name twice keeps the last value.</param>
/// <param name="Unit">Its unit, such as <c>s</c> or <c>By</c>, when one was given.</param>
/// <param name="Source">Who measured it.</param>
/// <param name="Attempt">The attempt that recorded it, for step measurements.</param>
public sealed record RunMeasurement(string? Step, string Name, double Value, string? Unit, MeasurementSource Source, int? Attempt = null);
