namespace Sluice.State;

/// <summary>Keeps each run's metrics summary: the engine's figures and the steps' own measurements.</summary>
/// <remarks>
/// Written once per run, at its end, as one batch, so recording metrics adds nothing per step to the store's load.
/// A run store that also implements this interface gets the summary; one that does not simply keeps none.
/// </remarks>
public interface IRunMetricsStore
{
    /// <summary>Records a run's measurements in one write, replacing any recorded before for the same run, step and name.</summary>
    Task RecordMeasurementsAsync(RunId run, IReadOnlyList<RunMeasurement> measurements, CancellationToken cancellationToken = default);

    /// <summary>Gets a run's measurements: the run's own first (by name), then each step's (by step order, then name).</summary>
    Task<IReadOnlyList<RunMeasurement>> GetMeasurementsAsync(RunId run, CancellationToken cancellationToken = default);
}
