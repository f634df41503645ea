namespace Sluice.Execution;

/// <summary>A running step's place among the run's <see cref="RunOptions.MaxParallel"/>.</summary>
/// <remarks>
/// A command step gives its place back when its program has exited, so the next program starts while this step's
/// outputs are hashed, made durable and published: that work is Sluice's own, mostly waiting on the disk, and holding
/// the place through it left a core idle between programs. At most <see cref="RunOptions.MaxParallel"/> steps may be
/// finishing that way at once; a step that must try again takes a place first, as a new step would.
/// </remarks>
internal interface IStepSlot
{
    /// <summary>Gives the place back for the rest of this attempt; does nothing when it is not held or as many steps are already finishing.</summary>
    void Release();

    /// <summary>Takes a place again before another attempt, waiting for one to free up; completes at once when it is held.</summary>
    ValueTask AcquireAsync(CancellationToken cancellationToken);
}
