namespace Sluice.Alerts;

/// <summary>One attempt to deliver one alert to one sink, as recorded.</summary>
/// <param name="AlertId">The recorded alert's id.</param>
/// <param name="Sink">The sink's name.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">What went wrong, when it did not deliver.</param>
/// <param name="Duration">How long the attempt took.</param>
public sealed record AlertDeliveryAttempt(long AlertId, string Sink, int Attempt, DateTimeOffset At, AlertDeliveryOutcome Outcome, string? Error, TimeSpan Duration);
