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

    /// <summary>Gets or sets what the writer thread runs before each transaction, such as making the files its rows refer to durable; an exception fails the writer.</summary>
    /// <value>The default value is null: nothing runs.</value>
    public Action? BeforeCommit { get; set; }

    /// <summary>Gets or sets what the checkpointer thread runs before each checkpoint, so tests can hold it there.</summary>
    internal Action? BeforeCheckpoint { get; set; }

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
    }
}
