namespace Sluice.Alerts;

/// <summary>A raised alert as the store keeps it, with every delivery attempt made for it.</summary>
/// <param name="Id">The store's id of the alert.</param>
/// <param name="Alert">The alert, as delivered (redacted).</param>
/// <param name="Deliveries">Its delivery attempts, by sink and attempt number.</param>
public sealed record AlertRecord(long Id, Alert Alert, IReadOnlyList<AlertDeliveryAttempt> Deliveries);
