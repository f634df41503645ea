namespace Sluice.FileSystem;

/// <summary>Holds back the folder fsyncs that make renamed files' names durable until something is about to refer to those files.</summary>
/// <remarks>
/// A store given a barrier still fsyncs every file's bytes before renaming it into place (no object and no published path
/// ever holds a partial file, even after a power loss), but leaves the fsync of the folder that holds the new name to
/// <see cref="Flush"/>. Whoever commits a record that refers to stored or published files (the run store, before each
/// transaction) calls <see cref="Flush"/> first, so a committed record never names a file whose name a power loss could
/// still take away; a crash before that loses at most names nothing refers to, and the step that made them runs again.
/// Many steps' folders are flushed by one call, and the step that renamed them need not wait for it.
/// </remarks>
public sealed class DurabilityBarrier
{
    private readonly Lock _gate = new();
    private readonly Lock _flushing = new();
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private long _flushed;

    /// <summary>Gets whether the stores sharing this barrier fsync at all: false only for <c>Sluice:Durability = ProcessCrash</c>, where files are renamed into place unflushed and nothing is ever deferred.</summary>
    /// <value>The default value is true.</value>
    public bool FlushesToDisk { get; init; } = true;

    /// <summary>Gets how many folder fsyncs <see cref="Flush"/> has issued, for tests and measurements.</summary>
    public long FoldersFlushed => Interlocked.Read(ref _flushed);

    /// <summary>Gets whether any folder is waiting for <see cref="Flush"/>.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Records that a file was renamed into <paramref name="directory"/> and its name is not yet durable.</summary>
    public void Defer(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!FlushesToDisk)
        {
            return;
        }

        lock (_gate)
        {
            _pending.Add(directory);
        }
    }

    /// <summary>Fsyncs every folder deferred before this call; returns when all are durable, or throws if one could not be flushed.</summary>
    /// <remarks>Blocks the calling thread (the run store's writer). A failed folder stays pending, so the next call tries it again.</remarks>
    public void Flush()
    {
        // One flush at a time: a caller that arrives during another's flush waits, then flushes what was deferred since.
        lock (_flushing)
        {
            HashSet<string> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    return;
                }

                batch = _pending;
                _pending = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (string directory in batch)
            {
                try
                {
                    DirectorySync.Flush(directory);
                    Interlocked.Increment(ref _flushed);
                }
                catch (DirectoryNotFoundException)
                {
                    // Removed since (a published folder the user deleted): no name in it is left to make durable.
                }
                catch
                {
                    lock (_gate)
                    {
                        _pending.UnionWith(batch);
                    }

                    throw;
                }
            }
        }
    }
}
