namespace Sluice.Definitions;

/// <summary>How a step's failed attempts are retried.</summary>
public sealed class RetryOptions
{
    /// <summary>Gets or sets the total number of attempts, the first included.</summary>
    /// <value>The default value is 1 (no retries).</value>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Gets or sets how the delay grows between attempts.</summary>
    /// <value>The default value is <see cref="Backoff.Exponential"/>.</value>
    public Backoff Backoff { get; set; } = Backoff.Exponential;

    /// <summary>Gets or sets the delay before the first retry; later delays grow from it.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets whether delays are randomised so that retries of many steps do not align.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    internal RetryOptions Clone() => (RetryOptions)MemberwiseClone();

    internal IEnumerable<string> Validate(string step)
    {
        if (MaxAttempts < 1)
        {
            yield return $"Step '{step}' has MaxAttempts = {MaxAttempts}: use 1 (no retries) or more.";
        }

        if (Delay < TimeSpan.Zero)
        {
            yield return $"Step '{step}' has a negative retry Delay ({Delay}): use TimeSpan.Zero or more.";
        }

        if (MaxDelay < Delay)
        {
            yield return $"Step '{step}' has MaxDelay ({MaxDelay}) shorter than Delay ({Delay}): raise MaxDelay.";
        }
    }
}

/// <summary>How the delay between retries grows.</summary>
public enum Backoff
{
    /// <summary>The same delay every time.</summary>
    Constant,

    /// <summary>The delay grows by <see cref="RetryOptions.Delay"/> each attempt.</summary>
    Linear,

    /// <summary>The delay doubles each attempt.</summary>
    Exponential,
}
