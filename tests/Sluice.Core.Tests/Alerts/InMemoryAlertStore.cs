using Sluice.State;

namespace Sluice.Alerts;

/// <summary>An <see cref="IAlertStore"/> in memory with the SQLite store's dedupe rule, for dispatcher tests.</summary>
internal sealed class InMemoryAlertStore : IAlertStore
{
    private readonly Lock _gate = new();
    private readonly List<(long Id, Alert Alert)> _alerts = [];
    private readonly List<AlertDeliveryAttempt> _attempts = [];

    public DateTimeOffset? LatestRun { get; set; }

    public IReadOnlyList<AlertDeliveryAttempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    public IReadOnlyList<Alert> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts.Select(a => a.Alert)];
            }
        }
    }

    public Task<long?> TryRecordAlertAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_alerts.Any(a => a.Alert.DedupeKey == alert.DedupeKey))
            {
                return Task.FromResult<long?>(null);
            }

            long id = _alerts.Count + 1;
            _alerts.Add((id, alert));
            return Task.FromResult<long?>(id);
        }
    }

    public Task RecordDeliveryAttemptAsync(AlertDeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _attempts.Add(attempt);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(RunId? run, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AlertRecord>>([.. _alerts
                .Where(a => run is null || a.Alert.RunId == run)
                .OrderByDescending(a => a.Id)
                .Take(limit)
                .Select(a => new AlertRecord(a.Id, a.Alert, [.. _attempts.Where(t => t.AlertId == a.Id)]))]);
        }
    }

    public Task<AlertRecord?> FindAlertAsync(string dedupeKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_alerts.Where(a => a.Alert.DedupeKey == dedupeKey)
                .Select(a => new AlertRecord(a.Id, a.Alert, [.. _attempts.Where(t => t.AlertId == a.Id)])).FirstOrDefault());
        }
    }

    public Task<DateTimeOffset?> LatestRunStartAsync(string pipeline, CancellationToken cancellationToken = default) => Task.FromResult(LatestRun);
}
