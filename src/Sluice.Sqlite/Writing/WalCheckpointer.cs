using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sluice.Sqlite.Writing;

/// <summary>Copies the write-ahead log into the database file on its own thread and connection, so no commit waits for it.</summary>
/// <remarks>
/// <para>
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages: that commit then copies
/// the whole log into the database file and fsyncs both. At the end of a 10,000-step no-op re-run that was 50-60 ms
/// of the writer's time, with the caller waiting for the last commit. The writer connection turns it off
/// (<c>wal_autocheckpoint = 0</c>) and tells this class how many pages each commit wrote; past the same 1,000 it
/// asks for a checkpoint here. One also runs as the store opens, for the log that earlier processes left: no
/// connection checkpoints as it closes (<see cref="SqliteRunStore.KeepLogOnClose"/>), so a store's own log waits for the next.
/// </para>
/// <para>
/// PASSIVE mode never waits for the writer or a reader, and SQLite keeps a checkpoint that a process exit cuts short
/// safe, so closing the store does not wait for a checkpoint in hand: the thread finishes it and closes its
/// connection. It waits only for a connection being opened (<see cref="Stop"/>), and none is opened after that: a
/// thread that opened its connection after the store was disposed made the database's files again in a folder its
/// owner was deleting. With <c>synchronous=NORMAL</c> a checkpoint is also when the log is fsynced, so the newest
/// commits wait for the next one (or the kernel's own write-back) to survive a power loss, as docs/file-formats.md
/// says.
/// </para>
/// <para>
/// SQLite starts the log again from its beginning only when a write finds all of it copied, which a checkpoint on
/// another thread never quite does while commits keep coming: a 10,000-step run grew the log to 450 MB. So once the
/// writer has written <see cref="LogPagesBeforeRestart"/> pages since the log last started again, or a checkpoint here
/// finds the log that long (one a crashed or older process left), the writer closes it out between two transactions
/// (<see cref="RestartWanted"/>): a checkpoint on its own connection, which no commit can outrun, copies the last
/// pages, and its next commit starts the log again. The writer counts for itself, rather than waiting for this thread
/// to notice, so the bound holds however late this thread is scheduled.
/// </para>
/// </remarks>
internal sealed class WalCheckpointer
{
    /// <summary>Pages written to the log, since the last request, that ask for a checkpoint: SQLite's own default threshold.</summary>
    public const int PagesPerCheckpoint = 1000;

    /// <summary>The default of <see cref="LogPagesBeforeRestart"/>: 8 MiB of 4 KiB pages.</summary>
    /// <remarks>
    /// The next process to open the store reads and checksums the whole log before its first query (SQLite rebuilds its
    /// index of the log when no other connection has it open), however much of it was copied already: a 1,000-step run
    /// left 48 MB behind, and the no-op re-run after it took 0.27 s instead of 0.11 s. 16,384 pages until 2026-11-28.
    /// </remarks>
    public const int DefaultLogPagesBeforeRestart = 2_048;

    private readonly object _gate = new();
    private readonly string _connectionString;
    private readonly Thread _thread;
    private readonly Lock _opening = new();
    private int _pagesSinceRequest;
    private bool _requested;
    private bool _closing;
    private bool _running;
    private long _completed;
    private int _restartWanted;

    // The writer thread's own: pages it wrote since its last checkpoint copied the whole log.
    private int _pagesSinceRestart;

    public WalCheckpointer(string connectionString, string name)
    {
        _connectionString = connectionString;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Gets or sets what the thread runs before each checkpoint, so tests can hold it there.</summary>
    public Action? BeforeCheckpoint { get; init; }

    /// <summary>Gets or sets how many pages the log may hold before the writer closes it out (<see cref="RestartWanted"/>).</summary>
    public int LogPagesBeforeRestart { get; init; } = DefaultLogPagesBeforeRestart;

    /// <summary>Gets how many checkpoints have run to the end, for tests.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Gets the error of the last checkpoint that failed, if the last one did; the log keeps everything until one succeeds.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Starts the thread and asks for a checkpoint of whatever the log holds already.</summary>
    public void Start()
    {
        _requested = true;
        // Without this thread the writer still starts the log again itself (Committed), so a failed start loses nothing.
        Sluice.Execution.PooledThreadStart.Start(_thread, static _ => { });
    }

    /// <summary>Called by the writer after each commit with the pages it wrote to the log.</summary>
    public void Committed(int pages)
    {
        _pagesSinceRestart += pages;
        _pagesSinceRequest += pages;
        if (_pagesSinceRequest >= PagesPerCheckpoint)
        {
            _pagesSinceRequest = 0;
            Request();
        }
    }

    /// <summary>Gets whether the writer should checkpoint on its own connection after this batch; read by the writer, and by this thread, which leaves that checkpoint to it.</summary>
    public bool RestartWanted =>
        Volatile.Read(ref _pagesSinceRestart) >= LogPagesBeforeRestart || Volatile.Read(ref _restartWanted) == 1;

    /// <summary>Called by the writer with the result of its own checkpoint.</summary>
    public void LogCheckpointed(LogCheckpoint result)
    {
        switch (result)
        {
            case LogCheckpoint.Copied:
                Volatile.Write(ref _restartWanted, 0);
                _pagesSinceRestart = 0;
                break;
            case LogCheckpoint.Busy:
                // Another process (or this thread, in a checkpoint begun before the count passed the limit) is copying
                // the log: the writer tries again after its next batch, and this thread starts no other meanwhile.
                break;
            default:
                // A reader holds pages back, or the checkpoint failed: again after as many pages as ask for a checkpoint.
                Volatile.Write(ref _restartWanted, 0);
                _pagesSinceRestart = Math.Max(0, LogPagesBeforeRestart - PagesPerCheckpoint);
                break;
        }
    }

    /// <summary>Asks for a checkpoint; requests made while one runs are served by one more after it.</summary>
    public void Request()
    {
        lock (_gate)
        {
            _requested = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Lets the thread end after the checkpoint in hand, if any; returns once no connection is being opened, and none will be.</summary>
    public void Stop()
    {
        // Under the lock the thread opens its connection in: an open in progress finishes first, a later one sees the flag.
        lock (_opening)
        {
            lock (_gate)
            {
                _closing = true;
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Waits until no checkpoint is requested or running, for tests; false if <paramref name="timeout"/> passed first.</summary>
    internal bool WaitIdle(TimeSpan timeout) => SpinWait.SpinUntil(IsIdle, timeout);

    private bool IsIdle()
    {
        lock (_gate)
        {
            return !_requested && !_running;
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (TakeRequest())
            {
                try
                {
                    BeforeCheckpoint?.Invoke();

                    // The writer closes the log out itself after its next batch: a checkpoint here would hold the lock
                    // its own needs and make it busy, batch after batch while commits keep coming on a loaded machine
                    // (a test saw the log reach 44 MB against a 14 MB bound). Its checkpoint copies all this one would.
                    if (RestartWanted)
                    {
                        continue;
                    }

                    lock (_opening)
                    {
                        if (_closing)
                        {
                            return; // the store is gone: its files may be too, and opening would make them again
                        }

                        connection ??= Open(_connectionString);
                    }

                    if (Checkpoint(connection.Handle!) >= LogPagesBeforeRestart)
                    {
                        Volatile.Write(ref _restartWanted, 1);
                    }

                    LastError = null;
                    Interlocked.Increment(ref _completed);
                }
                catch (Exception error) when (error is SqliteException or IOException or UnauthorizedAccessException)
                {
                    // Nothing is lost: the log still holds every commit, and the next request tries again.
                    LastError = error;
                    connection?.Dispose();
                    connection = null;
                }
                finally
                {
                    lock (_gate)
                    {
                        _running = false;
                    }
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private bool TakeRequest()
    {
        lock (_gate)
        {
            while (!_requested && !_closing)
            {
                Monitor.Wait(_gate);
            }

            if (_closing)
            {
                return false;
            }

            _requested = false;
            _running = true;
            return true;
        }
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        SqliteRunStore.KeepLogOnClose(connection);
        return connection;
    }

    // Returns how many pages the log held, or 0 when another connection was checkpointing it.
    private static int Checkpoint(sqlite3 db)
    {
        int rc = raw.sqlite3_wal_checkpoint_v2(db, null, raw.SQLITE_CHECKPOINT_PASSIVE, out int logPages, out _);

        // BUSY: another connection (another process's store) is checkpointing the same log; its checkpoint does the work.
        if (rc == raw.SQLITE_BUSY)
        {
            return 0;
        }

        SqliteException.ThrowExceptionForRC(rc, db);
        return logPages;
    }
}
