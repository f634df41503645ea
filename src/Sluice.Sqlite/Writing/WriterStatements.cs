using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Reading;
using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>The writer connection's statements, prepared once and re-bound for every call; used only on the writer thread.</summary>
/// <remarks>
/// Transactions are plain BEGIN/COMMIT statements rather than <see cref="SqliteTransaction"/> objects so the cached
/// commands need no transaction re-attached per batch. Values always travel as parameters.
/// </remarks>
internal sealed class WriterStatements : IDisposable
{
    /// <summary>The reason recorded on runs, steps and attempts found left behind by a process that is gone.</summary>
    public const string InterruptedReason = "the process running it ended before it finished";

    // Rows per multi-row INSERT: a statement costs SQLite about as much to start as a row costs to insert, so step
    // rows at creation and the events of a batch go 32 at a time (a no-op re-run writes 10,000 of each).
    public const int RowsPerInsert = 32;
    private const int StepColumnCount = 10;
    private const int EventColumnCount = 9;

    private readonly List<SqliteCommand> _all = [];
    private readonly List<RawStatement> _raw = [];
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _releaseSavepoint;
    private readonly SqliteCommand _rollbackToSavepoint;
    private readonly RawStatement _insertRun;
    private readonly RawStatement _insertStep;
    private readonly RawStatement _insertSteps;
    private readonly RawStatement _transitionRun;
    private readonly RawStatement _transitionStep;
    private readonly RawStatement _insertAttempt;
    private readonly RawStatement _completeAttempt;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _insertEvents;
    private readonly RawStatement _upsertCheckpoint;
    private readonly RawStatement _stepOutput;
    private readonly RawStatement _deleteCheckpoint;
    private readonly SqliteCommand _selectUnfinishedRuns;
    private readonly RawStatement _interruptRun;
    private readonly RawStatement _interruptSteps;
    private readonly RawStatement _interruptAttempts;
    private DateTimeOffset _lastTime;
    private string? _lastTimeText;

    public WriterStatements(SqliteConnection connection)
    {
        Connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _savepoint = Prepare("SAVEPOINT command");
        _releaseSavepoint = Prepare("RELEASE command");
        _rollbackToSavepoint = Prepare("ROLLBACK TO command");
        _insertRun = PrepareRaw($"INSERT INTO runs ({RecordMapper.RunColumns}) VALUES (@id, @pipeline, @status, @created, @ended, @arguments, @host, @pid, @reason, @resumed)");
        _insertStep = PrepareRaw(MultiRowInsert("steps", RecordMapper.StepColumns, StepColumnCount, 1));
        _insertSteps = PrepareRaw(MultiRowInsert("steps", RecordMapper.StepColumns, StepColumnCount, RowsPerInsert));
        _transitionRun = PrepareRaw("""
            UPDATE runs SET status = @next, reason = COALESCE(@reason, reason),
                ended_at = CASE WHEN @final THEN @at ELSE ended_at END
            WHERE id = @run AND status = @expected
            """);
        // One statement for one transition or a folded chain of them (WriteCoalescer): @started is set only by a move to
        // running and the first one wins; @ended is set by a move to a final state.
        _transitionStep = PrepareRaw("""
            UPDATE steps SET status = ?1, reason = COALESCE(?2, reason), started_at = COALESCE(started_at, ?3), ended_at = COALESCE(?4, ended_at)
            WHERE run_id = ?5 AND step = ?6 AND status = ?7
            """);
        // DO NOTHING only on the attempt's own key: a missing step still fails on the foreign key. A start inserts a
        // running row; a start folded with its completion inserts the finished row.
        _insertAttempt = PrepareRaw("""
            INSERT INTO attempts (run_id, step, attempt, started_at, ended_at, outcome, error_type, error_message, reason)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT (run_id, step, attempt) DO NOTHING
            """);
        _completeAttempt = PrepareRaw("""
            UPDATE attempts SET ended_at = @ended, outcome = @outcome, error_type = @type, error_message = @message, reason = @reason
            WHERE run_id = @run AND step = @step AND attempt = @attempt AND outcome = 'running'
            """);
        _insertEvent = PrepareRaw(MultiRowInsert("events", RecordMapper.EventColumns, EventColumnCount, 1));
        _insertEvents = PrepareRaw(MultiRowInsert("events", RecordMapper.EventColumns, EventColumnCount, RowsPerInsert));
        _stepOutput = PrepareRaw("UPDATE steps SET artifact_hash = @hash, artifact_size = @size WHERE run_id = @run AND step = @step");
        _upsertCheckpoint = PrepareRaw($"""
            INSERT INTO checkpoints ({RecordMapper.CheckpointColumns}) VALUES (@fingerprint, @pipeline, @step, @run, @hash, @size, @key, @at)
            ON CONFLICT (fingerprint) DO UPDATE SET run_id = excluded.run_id, artifact_hash = excluded.artifact_hash,
                artifact_size = excluded.artifact_size, fingerprint_key = excluded.fingerprint_key, created_at = excluded.created_at
            """);
        _deleteCheckpoint = PrepareRaw("DELETE FROM checkpoints WHERE fingerprint = @fingerprint");
        _selectUnfinishedRuns = Prepare($"SELECT {RecordMapper.RunColumns} FROM runs WHERE status IN ('pending', 'running') ORDER BY created_at, id");
        _interruptRun = PrepareRaw("UPDATE runs SET status = 'interrupted', ended_at = @at, reason = @reason WHERE id = @run AND status IN ('pending', 'running')");
        _interruptSteps = PrepareRaw("UPDATE steps SET status = 'interrupted', ended_at = @at, reason = @reason WHERE run_id = @run AND status IN ('pending', 'running')");
        _interruptAttempts = PrepareRaw("UPDATE attempts SET outcome = 'interrupted', ended_at = @at, reason = @reason WHERE run_id = @run AND outcome = 'running'");
    }

    public SqliteConnection Connection { get; }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    /// <summary>Rolls back if a transaction is still open; SQLite itself ends it on some errors (disk full, I/O).</summary>
    public void RollbackIfOpen()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
        {
            _rollback.ExecuteNonQuery();
        }
    }

    /// <summary>Returns how many pages the connection has written to the write-ahead log since the last call.</summary>
    public int TakePagesWritten()
    {
        _ = SQLitePCL.raw.sqlite3_db_status(Connection.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out int pages, out _, 1);
        return pages;
    }

    /// <summary>Copies what it can of the log into the database from the writer's own connection, outside any transaction.</summary>
    /// <remarks>
    /// No commit can come in while the writer itself checkpoints, so unless a reader still needs its pages, the log is all
    /// copied and the next commit starts it again. BUSY (the checkpointer thread is at it), a reader's pages or a
    /// failure loses nothing: the log keeps every page, and the writer tries again (<see cref="WalCheckpointer.LogCheckpointed"/>).
    /// </remarks>
    /// <returns>Whether the whole log was copied; BUSY when another connection was checkpointing.</returns>
    public LogCheckpoint CheckpointLog()
    {
        int rc = SQLitePCL.raw.sqlite3_wal_checkpoint_v2(Connection.Handle, null, SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE, out int logPages, out int copied);
        return rc == SQLitePCL.raw.SQLITE_BUSY ? LogCheckpoint.Busy
            : rc == SQLitePCL.raw.SQLITE_OK && copied == logPages ? LogCheckpoint.Copied
            : LogCheckpoint.Partial;
    }

    public void Savepoint() => _savepoint.ExecuteNonQuery();

    public void ReleaseSavepoint() => _releaseSavepoint.ExecuteNonQuery();

    public void RollbackToSavepoint()
    {
        _rollbackToSavepoint.ExecuteNonQuery();
        _releaseSavepoint.ExecuteNonQuery();
    }

    public void InsertRun(RunRecord run) => Execute(_insertRun,
        run.Id.Value, run.Pipeline, StoredValues.Text(run.Status), StoredValues.Time(run.CreatedAt), StoredValues.Time(run.EndedAt),
        run.Arguments, run.Host, run.ProcessId, StoredValues.OrNull(run.Reason), StoredValues.OrNull(run.ResumedFrom?.Value));

    /// <summary>Inserts step rows in order, many per statement.</summary>
    public void InsertSteps(IReadOnlyList<StepRecord> steps)
    {
        int i = 0;
        for (; i + RowsPerInsert <= steps.Count; i += RowsPerInsert)
        {
            for (int row = 0; row < RowsPerInsert; row++)
            {
                BindStep(_insertSteps, row * StepColumnCount, steps[i + row]);
            }

            _insertSteps.Run();
        }

        for (; i < steps.Count; i++)
        {
            BindStep(_insertStep, 0, steps[i]);
            _insertStep.Run();
        }
    }

    public bool TransitionRun(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason) => Execute(_transitionRun,
        StoredValues.Text(next), StoredValues.OrNull(reason), next.IsFinal(), TimeText(at), run.Value, StoredValues.Text(expected)) == 1;

    public bool TransitionStep(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason) =>
        TransitionStep(run, step, expected, next, reason, next == StepStatus.Running ? at : null, next.IsFinal() ? at : null);

    /// <summary>Moves a step from <paramref name="expected"/> to <paramref name="next"/>, setting started_at if unset and ended_at if given; returns whether it won.</summary>
    public bool TransitionStep(RunId run, string step, StepStatus expected, StepStatus next, string? reason, DateTimeOffset? startedAt, DateTimeOffset? endedAt)
    {
        _transitionStep.Bind(1, StoredValues.Text(next));
        _transitionStep.Bind(2, reason);
        _transitionStep.Bind(3, startedAt);
        _transitionStep.Bind(4, endedAt);
        _transitionStep.Bind(5, run.Value);
        _transitionStep.Bind(6, step);
        _transitionStep.Bind(7, StoredValues.Text(expected));
        return _transitionStep.Run() == 1;
    }

    /// <summary>Inserts an attempt, running or already <paramref name="ended"/>; returns <see langword="false"/> if that attempt exists.</summary>
    public bool InsertAttempt(RunId run, string step, int attempt, DateTimeOffset startedAt, StepAttemptRecord? ended)
    {
        _insertAttempt.Bind(1, run.Value);
        _insertAttempt.Bind(2, step);
        _insertAttempt.Bind(3, attempt);
        _insertAttempt.Bind(4, (DateTimeOffset?)startedAt);
        _insertAttempt.Bind(5, ended?.EndedAt);
        _insertAttempt.Bind(6, StoredValues.Text(ended?.Outcome ?? AttemptOutcome.Running));
        _insertAttempt.Bind(7, ended?.ErrorType);
        _insertAttempt.Bind(8, ended?.ErrorMessage);
        _insertAttempt.Bind(9, ended?.Reason);
        return _insertAttempt.Run() == 1;
    }

    public bool CompleteAttempt(StepAttemptRecord attempt) => Execute(_completeAttempt,
        StoredValues.Time(attempt.EndedAt), StoredValues.Text(attempt.Outcome), StoredValues.OrNull(attempt.ErrorType), StoredValues.OrNull(attempt.ErrorMessage),
        StoredValues.OrNull(attempt.Reason), attempt.RunId.Value, attempt.Step, attempt.Attempt) == 1;

    /// <summary>Appends events in order, many per statement, so they take consecutive sequence numbers.</summary>
    public void AppendEvents(ReadOnlySpan<RunEvent> events)
    {
        int i = 0;
        for (; i + RowsPerInsert <= events.Length; i += RowsPerInsert)
        {
            InsertEventRows(events.Slice(i, RowsPerInsert));
        }

        for (; i < events.Length; i++)
        {
            BindEvent(_insertEvent, 0, events[i]);
            _insertEvent.Run();
        }
    }

    /// <summary>Inserts exactly <see cref="RowsPerInsert"/> events with one statement: all of them, or none if it fails.</summary>
    public void InsertEventRows(ReadOnlySpan<RunEvent> events)
    {
        if (events.Length != RowsPerInsert)
        {
            throw new ArgumentException($"A multi-row insert takes {RowsPerInsert} events, not {events.Length}.", nameof(events));
        }

        for (int row = 0; row < RowsPerInsert; row++)
        {
            BindEvent(_insertEvents, row * EventColumnCount, events[row]);
        }

        _insertEvents.Run();
    }

    public void RecordStepOutput(RunId run, string step, string hash, long size) => Execute(_stepOutput, hash, size, run.Value, step);

    public void RecordCheckpoint(CheckpointRecord c) => Execute(_upsertCheckpoint,
        c.Fingerprint, c.Pipeline, c.Step, c.RunId.Value, c.ArtifactHash, c.ArtifactSize, c.FingerprintKey, StoredValues.Time(c.CreatedAt));

    public int DeleteCheckpoint(string fingerprint) => Execute(_deleteCheckpoint, fingerprint);

    public List<RunRecord> ReadUnfinishedRuns()
    {
        var runs = new List<RunRecord>();
        using SqliteDataReader reader = _selectUnfinishedRuns.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(RecordMapper.ReadRun(reader));
        }

        return runs;
    }

    public void Interrupt(RunId run, DateTimeOffset at)
    {
        string time = StoredValues.Time(at);
        Execute(_interruptRun, time, InterruptedReason, run.Value);
        Execute(_interruptSteps, time, InterruptedReason, run.Value);
        Execute(_interruptAttempts, time, InterruptedReason, run.Value);
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in _all)
        {
            command.Dispose();
        }

        foreach (RawStatement statement in _raw)
        {
            statement.Dispose();
        }
    }

    private void BindStep(RawStatement statement, int offset, StepRecord step)
    {
        statement.Bind(offset + 1, step.RunId.Value);
        statement.Bind(offset + 2, step.Step);
        statement.Bind(offset + 3, step.Order);
        statement.Bind(offset + 4, StoredValues.Text(step.Status));
        statement.Bind(offset + 5, step.Decision);
        statement.Bind(offset + 6, step.Reason);
        statement.Bind(offset + 7, step.StartedAt);
        statement.Bind(offset + 8, step.EndedAt);
        statement.Bind(offset + 9, step.ArtifactHash);
        statement.Bind(offset + 10, step.ArtifactSize);
    }

    private void BindEvent(RawStatement statement, int offset, RunEvent e)
    {
        statement.Bind(offset + 1, e.RunId.Value);
        statement.Bind(offset + 2, (DateTimeOffset?)e.At);
        statement.Bind(offset + 3, StoredValues.Text(e.Kind));
        statement.Bind(offset + 4, e.Step);
        statement.Bind(offset + 5, e.Attempt);
        statement.Bind(offset + 6, e.Duration?.Ticks);
        statement.Bind(offset + 7, e.ErrorType);
        statement.Bind(offset + 8, e.ErrorMessage);
        statement.Bind(offset + 9, e.Reason);
    }

    // Rows written together mostly share a time (every step row of a run's creation, a batch's events within one clock
    // tick): formatting it once gives them one string, which the statement then does not bind again (RawStatement).
    private string TimeText(DateTimeOffset at)
    {
        if (_lastTimeText is null || at.UtcTicks != _lastTime.UtcTicks)
        {
            _lastTimeText = StoredValues.Time(at);
            _lastTime = at;
        }

        return _lastTimeText;
    }

    // INSERT ... VALUES (?, ?), (?, ?): parameters are numbered in order, row after row.
    private static string MultiRowInsert(string table, string columns, int columnCount, int rows)
    {
        string row = "(" + string.Join(", ", Enumerable.Repeat("?", columnCount)) + ")";
        return $"INSERT INTO {table} ({columns}) VALUES " + string.Join(", ", Enumerable.Repeat(row, rows));
    }

    // Values bind by position in the order the parameters first appear in the SQL, which is SQLite's own numbering.
    private static int Execute(RawStatement statement, params ReadOnlySpan<object> values) => statement.Execute(values);

    private RawStatement PrepareRaw(string sql)
    {
        var statement = new RawStatement(Connection, sql);
        _raw.Add(statement);
        return statement;
    }

    private SqliteCommand Prepare(string sql)
    {
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in ParameterNames(sql))
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        _all.Add(command);
        return command;
    }

    private static IEnumerable<string> ParameterNames(string sql)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < sql.Length; i++)
        {
            if (sql[i] != '@')
            {
                continue;
            }

            int end = i + 1;
            while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
            {
                end++;
            }

            string name = sql[i..end];
            if (seen.Add(name))
            {
                yield return name;
            }

            i = end - 1;
        }
    }
}
