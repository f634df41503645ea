namespace Sluice.Alerts;

/// <summary>Keeps every alert published to it, in order.</summary>
internal sealed class RecordingPublisher : IAlertPublisher
{
    private readonly Lock _gate = new();
    private readonly List<Alert> _alerts = [];

    public IReadOnlyList<Alert> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts];
            }
        }
    }

    public void Publish(Alert alert)
    {
        lock (_gate)
        {
            _alerts.Add(alert);
        }
    }
}
