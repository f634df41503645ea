namespace Sluice.Alerts;

/// <summary>How alerts are delivered: bounded retries with exponential backoff, a timeout per attempt, and how long a process waits for deliveries at exit.</summary>
public sealed class AlertDeliverySettings
{
    /// <summary>Gets or sets how many attempts each sink gets per alert, the first included.</summary>
    /// <value>The default value is 4 (three retries).</value>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Gets or sets the delay before the first retry; each later one doubles it.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long one attempt may take before it is cancelled and counted as timed out.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a command waits at its end for deliveries still in progress before it gives them up.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate(string path, Action<string, string> problem)
    {
        if (MaxAttempts is < 1 or > 20)
        {
            problem($"{path}:MaxAttempts", $"{MaxAttempts} attempts is out of range: give 1 (no retries) to 20.");
        }

        Check(nameof(Backoff), Backoff, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(nameof(MaxBackoff), MaxBackoff, TimeSpan.Zero, TimeSpan.FromHours(1));
        // Polly's timeout strategy takes 10 ms at least.
        Check(nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Check(nameof(DrainTimeout), DrainTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));

        void Check(string key, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                problem($"{path}:{key}", $"{value} is out of range: give {(min == TimeSpan.Zero ? "00:00:00" : min.ToString())} to 01:00:00 (hh:mm:ss).");
            }
        }
    }
}
