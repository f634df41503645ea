namespace Sluice.Sqlite;

/// <summary>Settings for opening a <see cref="SqliteRunStore"/>.</summary>
public sealed class SqliteRunStoreOptions
{
    /// <summary>Gets or sets the database file; its directory is created if missing.</summary>
    /// <value>No default: the path must be given.</value>
    public required string Path { get; set; }

    /// <summary>Gets or sets how long a write waits for another process holding the file's write lock before it fails.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a command step's records may wait after a commit to be committed with the next steps' (nobody waits for them); zero commits each batch at once.</summary>
    /// <value>The default value is 50 milliseconds: a chain of short programs commits once every ten or so steps instead of once a step. A kill or power loss may lose that much more of the run's record, and those steps run again.</value>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gets or sets what the writer thread runs before it commits each batch of queued calls (one transaction, or a few when a multi-statement call has one of its own), such as making the files their rows refer to durable; an exception fails the writer.</summary>
    /// <value>The default value is null: nothing runs.</value>
    public Action? BeforeCommit { get; set; }

    /// <summary>Gets or sets what the checkpointer thread runs before each checkpoint, so tests can hold it there.</summary>
    internal Action? BeforeCheckpoint { get; set; }

    /// <summary>Gets or sets how many pages the write-ahead log may hold before the writer closes it out itself, so the next commit starts it again from the beginning (<see cref="Writing.WalCheckpointer"/>).</summary>
    /// <value>The default value is 2,048 pages: 8 MiB of 4 KiB pages.</value>
    internal int LogPagesBeforeRestart { get; set; } = Writing.WalCheckpointer.DefaultLogPagesBeforeRestart;

    /// <summary>Gets or sets the size the log file is cut back to when it starts again (SQLite's <c>journal_size_limit</c>).</summary>
    /// <value>The default value is 64 MiB.</value>
    internal long LogSizeLimit { get; set; } = 64L << 20;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("SqliteRunStoreOptions.Path is empty: give the database file, for example '.sluice/runs.db'.", nameof(Path));
        }

        if (BusyTimeout < TimeSpan.FromMilliseconds(1) || BusyTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, "SqliteRunStoreOptions.BusyTimeout must be between 1 ms and 1 hour.");
        }

        if (CommitDelay < TimeSpan.Zero || CommitDelay > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(CommitDelay), CommitDelay, "SqliteRunStoreOptions.CommitDelay must be between 0 (commit at once) and 10 seconds.");
        }
    }
}
