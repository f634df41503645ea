namespace Sluice.Alerts;

/// <summary>How one delivery attempt to one sink ended.</summary>
public enum AlertDeliveryOutcome
{
    /// <summary>The sink accepted the alert.</summary>
    Delivered,

    /// <summary>The attempt failed in a way a retry may cure.</summary>
    Failed,

    /// <summary>The attempt ran past the per-attempt timeout and was cancelled.</summary>
    TimedOut,

    /// <summary>The sink refused the alert in a way a retry cannot cure (HTTP 404, a program not found): not retried.</summary>
    Rejected,

    /// <summary>The process stopped waiting (the drain limit at exit, or Ctrl-C) while the attempt was in progress or waiting to retry.</summary>
    Abandoned,
}
