using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>A step's state as the live view names it; coarser than <see cref="StepStatus"/> where a person does not care, finer where they do (retrying).</summary>
internal enum LiveStepState
{
    /// <summary>Planned, not started: waiting for its inputs or a free slot.</summary>
    Waiting,

    /// <summary>An attempt is in progress.</summary>
    Running,

    /// <summary>An attempt failed and the next waits out its back-off delay.</summary>
    Retrying,

    /// <summary>Finished with an output.</summary>
    Succeeded,

    /// <summary>An earlier run's output was reused.</summary>
    Reused,

    /// <summary>Failed for good.</summary>
    Failed,

    /// <summary>Not selected for this run.</summary>
    Skipped,

    /// <summary>Not run because a step it depends on failed.</summary>
    NotRun,

    /// <summary>Stopped, or never started, because the run was cancelled or failed fast.</summary>
    Cancelled,
}

/// <summary>One row of the live view or the final summary.</summary>
/// <param name="Step">The step's name.</param>
/// <param name="State">Its state.</param>
/// <param name="Attempt">The attempt in progress or the last one made; 0 when none was.</param>
/// <param name="MaxAttempts">The step's attempt limit (1 when it has no retries).</param>
/// <param name="Elapsed">Time since its first attempt started (ticking while it runs), or how long it took; null when it never ran.</param>
/// <param name="Note">A short why: the retry's reason, the failure's first line, the reuse's checkpoint.</param>
internal sealed record LiveProgressRow(string Step, LiveStepState State, int Attempt, int MaxAttempts, TimeSpan? Elapsed, string? Note);

/// <summary>The live view's state at one instant: what a frame or the final summary is drawn from, copied out of the lock.</summary>
/// <param name="RunId">The run, once it started.</param>
/// <param name="Elapsed">The run's time so far, or its duration once it ended.</param>
/// <param name="Total">How many steps the run considers (run or reuse; not those left out of the selection).</param>
/// <param name="Counts">How many steps are in each state, indexed by <see cref="LiveStepState"/>.</param>
/// <param name="Rows">The rows to draw, in display order: all steps of a small run, else failures, recent finishes and running steps.</param>
/// <param name="AllShown">Whether <paramref name="Rows"/> holds every considered step.</param>
/// <param name="End">The event that ended the run, once it ended.</param>
internal sealed record LiveProgressSnapshot(RunId? RunId, TimeSpan Elapsed, int Total, IReadOnlyList<int> Counts, IReadOnlyList<LiveProgressRow> Rows, bool AllShown, RunEvent? End)
{
    /// <summary>Gets how many considered steps will change no more.</summary>
    public int Done => this[LiveStepState.Succeeded] + this[LiveStepState.Reused] + this[LiveStepState.Failed] + this[LiveStepState.NotRun] + this[LiveStepState.Cancelled];

    /// <summary>Gets how many steps are in <paramref name="state"/>.</summary>
    public int this[LiveStepState state] => Counts[(int)state];
}
