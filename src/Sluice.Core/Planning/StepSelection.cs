namespace Sluice.Planning;

/// <summary>Which steps a run should consider; the options combine by intersection.</summary>
public sealed record StepSelection
{
    /// <summary>Gets a selection of every step.</summary>
    public static StepSelection All { get; } = new();

    /// <summary>Gets the steps to run and nothing else (empty: no restriction).</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Gets the steps from which to run: each and everything downstream (empty: no restriction).</summary>
    public IReadOnlyList<string> From { get; init; } = [];

    /// <summary>Gets the steps up to which to run: each and everything upstream (empty: no restriction).</summary>
    public IReadOnlyList<string> Until { get; init; } = [];

    /// <summary>Gets whether every step is selected.</summary>
    public bool IsAll => Only.Count == 0 && From.Count == 0 && Until.Count == 0;
}
