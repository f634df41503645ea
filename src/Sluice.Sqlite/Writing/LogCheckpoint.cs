namespace Sluice.Sqlite.Writing;

/// <summary>What a checkpoint on the writer's own connection achieved.</summary>
internal enum LogCheckpoint
{
    /// <summary>The whole log is in the database file: the next commit starts the log again.</summary>
    Copied,

    /// <summary>Another connection (the checkpointer thread, another process) was checkpointing: try again after the next batch.</summary>
    Busy,

    /// <summary>A reader still needs some pages, or the checkpoint failed: nothing is lost, and the log stays as long until one completes.</summary>
    Partial,
}
