using Sluice.State;

namespace Sluice.Alerts;

/// <summary>Keeps raised alerts and their delivery attempts, and deduplicates alerts across processes.</summary>
public interface IAlertStore
{
    /// <summary>Records <paramref name="alert"/> unless an alert with its <see cref="Alert.DedupeKey"/> exists; returns the new id, or null for a duplicate.</summary>
    Task<long?> TryRecordAlertAsync(Alert alert, CancellationToken cancellationToken = default);

    /// <summary>Records one delivery attempt.</summary>
    Task RecordDeliveryAttemptAsync(AlertDeliveryAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Returns the alerts of <paramref name="run"/> (or of every run and none, when null), newest first, at most <paramref name="limit"/>, each with its attempts.</summary>
    Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(RunId? run, int limit, CancellationToken cancellationToken = default);

    /// <summary>Returns the alert recorded under <paramref name="dedupeKey"/>, if any.</summary>
    Task<AlertRecord?> FindAlertAsync(string dedupeKey, CancellationToken cancellationToken = default);

    /// <summary>Returns when the newest run of <paramref name="pipeline"/> was created, or null when it never ran.</summary>
    Task<DateTimeOffset?> LatestRunStartAsync(string pipeline, CancellationToken cancellationToken = default);
}
