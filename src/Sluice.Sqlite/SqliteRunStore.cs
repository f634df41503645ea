using System.Globalization;
using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Reading;
using Sluice.Sqlite.Schema;
using Sluice.Sqlite.Writing;
using Sluice.State;

namespace Sluice.Sqlite;

/// <summary>Keeps runs in one SQLite file: writes are group-committed by a background writer, reads run on their own connections.</summary>
/// <remarks>
/// <para>
/// The file is in WAL mode with <c>synchronous=NORMAL</c>. A commit then appends to the write-ahead log without an
/// fsync, so it survives the process being killed (even <c>kill -9</c>) with nothing lost: the log is in the OS page
/// cache and is replayed on the next open. Only a power loss or OS crash may drop the last few commits, and even then
/// the database stays consistent, because the log is fsynced at each checkpoint. An orchestrator re-runs the steps
/// whose records were lost, so that trade buys the write rate the coordinator needs.
/// </para>
/// <para>
/// A write's task completes when the transaction holding it commits. A write that was already cancelled is not
/// queued; once queued it is applied in order, whatever its token does. Reads first wait for this instance's queued
/// writes, so a caller always reads its own writes. If the writer fails (disk full, corruption), that write and every
/// later one fail with the same exception; call <see cref="FlushAsync"/> before disposing to observe it.
/// </para>
/// </remarks>
public sealed partial class SqliteRunStore : IRunStore, ICheckpointStore
{
    private readonly GroupCommitWriter _writer;
    private readonly WalCheckpointer _checkpointer;
    private readonly RunStoreReader _reader;
    private readonly string _readConnectionString;
    private int _disposed;

    private SqliteRunStore(string path, GroupCommitWriter writer, WalCheckpointer checkpointer, string readConnectionString)
    {
        Path = path;
        _writer = writer;
        _checkpointer = checkpointer;
        _readConnectionString = readConnectionString;
        _reader = new RunStoreReader(readConnectionString);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Gets the background writer, for tests that hold it mid-batch.</summary>
    internal GroupCommitWriter Writer => _writer;

    /// <summary>Gets the thread that copies the log into the database, for tests.</summary>
    internal WalCheckpointer Checkpointer => _checkpointer;

    /// <summary>Gets the schema version this code reads and writes (recorded in the file as <c>PRAGMA user_version</c>).</summary>
    public static int SchemaVersion => Migrations.Latest;

    /// <summary>Opens or creates the database file at <paramref name="path"/> with default options.</summary>
    public static Task<SqliteRunStore> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(new SqliteRunStoreOptions { Path = path }, cancellationToken);

    /// <summary>Opens or creates the database file, brings its schema up to date and starts the writer.</summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer Sluice.</exception>
    public static Task<SqliteRunStore> OpenAsync(SqliteRunStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        // Opening is synchronous file work (Microsoft.Data.Sqlite has no real async); its failures still belong in the task.
        try
        {
            return Task.FromResult(Open(options, Migrations.All));
        }
        catch (Exception error)
        {
            return Task.FromException<SqliteRunStore>(error);
        }
    }

    /// <summary>Opens the store with a given migration history, so tests can exercise upgrades.</summary>
    internal static SqliteRunStore Open(SqliteRunStoreOptions options, IReadOnlyList<Migration> migrations)
    {
        string path = System.IO.Path.GetFullPath(options.Path);
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Microsoft.Data.Sqlite retries a busy database itself until the command timeout (whole seconds), on top of
        // SQLite's own busy_timeout: both get the same limit so a held lock fails in about BusyTimeout, not 30 s.
        int timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        var writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        string readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        var connection = new SqliteConnection(writeConnectionString);
        WriterStatements? statements = null;
        try
        {
            connection.Open();
            Configure(connection, path, options.BusyTimeout, options.LogSizeLimit);
            SchemaMigrator.Migrate(connection, path, migrations);
            statements = new WriterStatements(connection);
            var checkpointer = new WalCheckpointer(writeConnectionString, "Sluice SQLite checkpointer")
            {
                BeforeCheckpoint = options.BeforeCheckpoint,
                LogPagesBeforeRestart = options.LogPagesBeforeRestart,
            };
            var writer = new GroupCommitWriter(statements, "Sluice SQLite writer") { BatchTaken = options.BeforeCommit, Checkpointer = checkpointer, CommitDelay = options.CommitDelay };
            writer.Start();
            checkpointer.Start();
            return new SqliteRunStore(path, writer, checkpointer, readConnectionString);
        }
        catch
        {
            statements?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        StepRecord[] planned = [.. steps];
        foreach (StepRecord step in planned)
        {
            ArgumentNullException.ThrowIfNull(step, nameof(steps));
            if (step.RunId != run.Id)
            {
                throw new ArgumentException($"Step '{step.Step}' belongs to run {step.RunId}, not to run {run.Id} being created.", nameof(steps));
            }
        }

        // In the table's key order (run, then name), not plan order: each row then lands at the right edge of the
        // b-tree, where SQLite appends instead of splitting pages in the middle. A 10,000-step creation costs the
        // writer a fifth less (docs/benchmarks.md). Readers order by step_order, so the insertion order is not seen.
        Array.Sort(planned, static (a, b) => string.CompareOrdinal(a.Step, b.Step));
        return Enqueue(WriteCommand<bool>.Multi(s =>
        {
            s.InsertRun(run);
            s.InsertSteps(planned);
            return true;
        }), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryTransitionRunAsync(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) =>
        Enqueue(WriteCommand<bool>.Single(s => s.TransitionRun(run, expected, next, at, reason)), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryTransitionStepAsync(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Enqueue(new StepTransitionWrite(run, step, expected, next, at, reason), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryStartAttemptAsync(RunId run, string step, int attempt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return Enqueue(AttemptWrite.Start(run, step, attempt, at), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryCompleteAttemptAsync(StepAttemptRecord attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Outcome == AttemptOutcome.Running)
        {
            throw new ArgumentException($"Attempt {attempt.Attempt} of step '{attempt.Step}' is completed with outcome 'running': give the outcome it ended with.", nameof(attempt));
        }

        if (attempt.EndedAt is null)
        {
            throw new ArgumentException($"Attempt {attempt.Attempt} of step '{attempt.Step}' is completed without an end time: set EndedAt.", nameof(attempt));
        }

        return Enqueue(AttemptWrite.Complete(attempt), cancellationToken);
    }

    /// <inheritdoc/>
    public Task AppendEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        return Enqueue(new EventWrite([runEvent]), cancellationToken);
    }

    /// <inheritdoc/>
    public void PostEvent(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        _writer.Post(new EventWrite([runEvent]));
    }

    /// <inheritdoc/>
    /// <remarks>One command for all of them: a no-op re-run's thousands of "reused" events cost one queue entry, not one each.</remarks>
    public Task AppendEventsAsync(IReadOnlyList<RunEvent> runEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvents);
        RunEvent[] events = [.. runEvents];
        foreach (RunEvent runEvent in events)
        {
            ArgumentNullException.ThrowIfNull(runEvent, nameof(runEvents));
        }

        return events.Length == 0 ? Task.CompletedTask : Enqueue(new EventWrite(events), cancellationToken);
    }

    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks><paramref name="isOrphaned"/> runs on the writer thread inside the transaction; an exception from it fails only this call.</remarks>
    public Task<IReadOnlyList<RunId>> MarkInterruptedAsync(Func<RunRecord, bool> isOrphaned, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isOrphaned);
        return Enqueue(WriteCommand<IReadOnlyList<RunId>>.Multi(s =>
        {
            // Decide for every run before changing any, so the caller's predicate sees one consistent state.
            List<RunId> orphaned = [.. s.ReadUnfinishedRuns().Where(isOrphaned).Select(r => r.Id)];
            foreach (RunId run in orphaned)
            {
                s.Interrupt(run, at);
            }

            return orphaned;
        }), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await FlushAsync(cancellationToken);
        return _reader.ListRuns(limit);
    }

    /// <inheritdoc/>
    public async Task<RunRecord?> GetRunAsync(RunId run, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        return _reader.GetRun(run);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        return _reader.GetSteps(run);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StepAttemptRecord>> GetAttemptsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        return _reader.GetAttempts(run);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunEvent>> GetEventsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        return _reader.GetEvents(run);
    }

    /// <inheritdoc/>
    public Task RecordStepOutputAsync(RunId run, string step, string artifactHash, long artifactSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(artifactHash);
        return Enqueue(new StepOutputWrite(run, step, artifactHash, artifactSize), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordCheckpointAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Enqueue(new CheckpointWrite(checkpoint), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<CheckpointRecord?> FindCheckpointAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        await FlushAsync(cancellationToken);
        return _reader.FindCheckpoint(fingerprint);
    }

    /// <inheritdoc/>
    public async Task<CheckpointRecord?> LatestCheckpointAsync(string pipeline, string step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        await FlushAsync(cancellationToken);
        return _reader.ListCheckpoints(pipeline, step, 1) is [var newest] ? newest : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string pipeline, string? step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        await FlushAsync(cancellationToken);
        return _reader.ListCheckpoints(pipeline, step, int.MaxValue);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CheckpointSummary>> ListCheckpointSummariesAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        await FlushAsync(cancellationToken);
        return _reader.ListCheckpointSummaries(pipeline);
    }

    /// <inheritdoc/>
    public Task<int> DeleteCheckpointsAsync(IEnumerable<string> fingerprints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);

        // Copied now: the writer thread applies the command later, and the caller's sequence may change by then.
        string[] all = [.. fingerprints.Distinct(StringComparer.Ordinal)];
        return Enqueue(WriteCommand<int>.Multi(s => all.Sum(s.DeleteCheckpoint)), cancellationToken);
    }

    /// <summary>Commits every queued write, stops the writer and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.StopAsync();

        // No connection of its is opened once this returns, so the files are not made again once the store is gone.
        _checkpointer.Stop();

        // Pooled read connections would otherwise keep the file (and its WAL) open after the store is gone.
        using var connection = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private Task<T> Enqueue<T>(WriteCommand<T> command, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<T>(cancellationToken) : _writer.Enqueue(command);

    private static void Configure(SqliteConnection connection, string path, TimeSpan busyTimeout, long logSizeLimit)
    {
        using SqliteCommand command = connection.CreateCommand();

        // WAL is recorded in the file and needs setting once; SQLite answers with the mode it actually uses.
        command.CommandText = "PRAGMA journal_mode = WAL;";
        string? mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The run store database '{path}' could not be switched to WAL journal mode (it is '{mode}'). Put it on a local file system that supports shared memory.");
        }

        // synchronous, cache_size and busy_timeout are per connection: see the class remarks for why NORMAL is enough.
        // cache_size stays SQLite's 2 MiB although a group-committed batch can dirty more (a 10,000-step run's creation):
        // past it SQLite writes pages to the log before the commit, which it would write at the commit anyway. A 32 MiB
        // cache spared those early writes, but every page it grew by was fresh memory, and a page fault costs ~18 us on
        // the machine the benchmarks run on: 600 more faults in a 10,000-step no-op re-run, on its last, serial commit
        // (docs/benchmarks.md). Scheduling 10,000 steps was no slower with 2 MiB, and peaked ~10 MB lower.
        // wal_autocheckpoint = 0: the commit that took the log past 1,000 pages copied it into the database and fsynced
        // both before returning; WalCheckpointer does that on its own thread and connection instead.
        // temp_store: a multi-row INSERT or a savepoint inside a large transaction keeps a statement journal, which
        // past 64 KiB SQLite spills to a temporary file (a no-op re-run of 10,000 steps wrote megabytes there); it only
        // ever undoes a statement within the open transaction, so memory loses nothing a crash could need.
        // journal_size_limit: SQLite writes the log from its beginning again once it is all copied, but keeps the file at the
        // largest it ever was (a 10,000-step run left 450 MB beside an 11 MB database); past the limit the first commit after
        // such a restart cuts it back.
        command.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = "
            + ((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "; PRAGMA journal_size_limit = "
            + logSizeLimit.ToString(CultureInfo.InvariantCulture) + ";";
        command.ExecuteNonQuery();
        KeepLogOnClose(connection);
    }

    /// <summary>Stops the connection checkpointing as it closes, which it does when it is the file's last: WalCheckpointer's work, off the caller's path.</summary>
    internal static void KeepLogOnClose(SqliteConnection connection)
    {
        const int NoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out int _), connection.Handle);
    }
}
