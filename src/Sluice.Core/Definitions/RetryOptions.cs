namespace Sluice.Definitions;

/// <summary>How a step's failed attempts are retried.</summary>
/// <remarks>Set while a step is declared (<see cref="StepBuilder.WithRetry"/>); the copy a built <see cref="StepDefinition"/> holds is read-only.</remarks>
public sealed class RetryOptions
{
    // Definitions are immutable once built, and a step with no retry options shares this one: a 10,000-step pipeline
    // would otherwise allocate 10,000 copies of the defaults at every start.
    private static readonly RetryOptions None = new() { _readOnly = true };

    private bool _readOnly;

    /// <summary>Gets or sets the total number of attempts, the first included.</summary>
    /// <value>The default value is 1 (no retries).</value>
    public int MaxAttempts { get; set => field = Writable(value); } = 1;

    /// <summary>Gets or sets how the delay grows between attempts.</summary>
    /// <value>The default value is <see cref="Backoff.Exponential"/>.</value>
    public Backoff Backoff { get; set => field = Writable(value); } = Backoff.Exponential;

    /// <summary>Gets or sets the delay before the first retry; later delays grow from it.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan Delay { get; set => field = Writable(value); } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxDelay { get; set => field = Writable(value); } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets whether delays are randomised so that retries of many steps do not align.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set => field = Writable(value); } = true;

    /// <summary>Gets whether the options belong to a built step and can no longer change.</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>Returns a read-only copy of <paramref name="options"/>, or the shared defaults for <see langword="null"/>.</summary>
    internal static RetryOptions ReadOnlyCopy(RetryOptions? options)
    {
        if (options is null)
        {
            return None;
        }

        var copy = (RetryOptions)options.MemberwiseClone();
        copy._readOnly = true;
        return copy;
    }

    private T Writable<T>(T value) => _readOnly
        ? throw new InvalidOperationException("These retry options belong to a built step and cannot change: set them in WithRetry(...) while declaring the step.")
        : value;

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
