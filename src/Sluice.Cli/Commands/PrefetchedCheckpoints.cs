using Sluice.Execution;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary>Every pipeline's checkpoint summaries, read ahead (<see cref="CheckpointPrefetch"/>) and indexed by fingerprint on the same spare core.</summary>
/// <remarks>
/// Indexing 10,000 summaries (parsing each fingerprint's 64 hex digits into a dictionary) took 10-20 ms at the start of
/// planning, where every step waits for it; done right after the read, it overlaps the pipeline's definition instead.
/// </remarks>
internal sealed class PrefetchedCheckpoints : IDisposable
{
    private readonly CheckpointPrefetch _read;
    private readonly Dictionary<string, CheckpointIndex> _indexes = new(StringComparer.Ordinal);

    private PrefetchedCheckpoints(CheckpointPrefetch read)
    {
        _read = read;
        // Indexed as read; whether they are still current is asked when one is taken.
        foreach ((string pipeline, List<CheckpointSummary> summaries) in read.Summaries)
        {
            _indexes[pipeline] = new CheckpointIndex(summaries);
        }
    }

    /// <summary>Reads and indexes the store at <paramref name="database"/>; null when <see cref="CheckpointPrefetch.Read"/> is.</summary>
    public static PrefetchedCheckpoints? Read(string database) =>
        CheckpointPrefetch.Read(database) is { } read ? new PrefetchedCheckpoints(read) : null;

    /// <summary>Returns <paramref name="pipeline"/>'s index, once, if nothing has been committed since the read; else null.</summary>
    public CheckpointIndex? TakeIfCurrent(string pipeline)
    {
        if (_read.TakeIfCurrent(pipeline) is not { } summaries)
        {
            return null;
        }

        lock (_indexes)
        {
            // The index is changed by the gate that takes it: a second taker gets a fresh one.
            return _indexes.Remove(pipeline, out CheckpointIndex? index) ? index : new CheckpointIndex(summaries);
        }
    }

    /// <summary>Closes the connection the summaries were read on.</summary>
    public void Dispose() => _read.Dispose();
}
