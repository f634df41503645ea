namespace Sluice.Alerts;

/// <summary>How the delivery of one alert to one sink ended, after its retries.</summary>
/// <param name="Alert">The alert.</param>
/// <param name="Sink">The sink's name.</param>
/// <param name="Outcome">The last attempt's outcome.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Error">The last attempt's error, when it did not deliver.</param>
/// <param name="Duration">From the first attempt's start to the end, retry delays included.</param>
public sealed record AlertDelivery(Alert Alert, string Sink, AlertDeliveryOutcome Outcome, int Attempts, string? Error, TimeSpan Duration);
