namespace Sluice.Artifacts;

/// <summary>Says whether a stored object or published file is intact and, if not, why, in words a user can act on.</summary>
/// <param name="IsIntact">Whether every check passed.</param>
/// <param name="Reason">Why the check failed (<c>missing</c>, <c>size 10 != 12</c>, <c>content hash differs</c>); null when intact.</param>
public sealed record IntegrityResult(bool IsIntact, string? Reason)
{
    /// <summary>Gets the result of a check that passed.</summary>
    public static IntegrityResult Intact { get; } = new(true, null);

    /// <summary>Gets the result for a file that does not exist.</summary>
    public static IntegrityResult Missing { get; } = new(false, "missing");

    /// <summary>Creates the result for a file whose length differs from the expected one.</summary>
    public static IntegrityResult SizeDiffers(long actual, long expected) => new(false, $"size {actual} != {expected}");

    /// <summary>Gets the result for a file whose length matches but whose content does not.</summary>
    public static IntegrityResult HashDiffers { get; } = new(false, "content hash differs");

    /// <summary>Returns <c>intact</c> or the reason.</summary>
    public override string ToString() => Reason ?? "intact";
}
