namespace Sluice.Definitions;

/// <summary>The output of a step that produces no value, only effects.</summary>
public readonly record struct Unit
{
    /// <summary>Gets the only value.</summary>
    public static Unit Value => default;
}
