namespace Sluice.Alerts;

/// <summary>Accepts raised alerts; delivery happens later, so raising never waits for or fails because of a sink.</summary>
public interface IAlertPublisher
{
    /// <summary>Queues <paramref name="alert"/> for delivery and returns at once.</summary>
    void Publish(Alert alert);
}
