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
    private readonly RawStatement _transitionRun;
    private readonly RawStatement _transitionStep;
    private readonly RawStatement _insertAttempt;
    private readonly RawStatement _completeAttempt;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _upsertCheckpoint;
    private readonly RawStatement _stepOutput;
    private readonly RawStatement _deleteCheckpoint;
    private readonly SqliteCommand _selectUnfinishedRuns;
    private readonly RawStatement _interruptRun;
    private readonly RawStatement _interruptSteps;
    private readonly RawStatement _interruptAttempts;

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
        _insertStep = PrepareRaw($"INSERT INTO steps ({RecordMapper.StepColumns}) VALUES (@run, @step, @order, @status, @decision, @reason, @started, @ended, @hash, @size)");
        _transitionRun = PrepareRaw("""
            UPDATE runs SET status = @next, reason = COALESCE(@reason, reason),
                ended_at = CASE WHEN @final THEN @at ELSE ended_at END
            WHERE id = @run AND status = @expected
            """);
        _transitionStep = PrepareRaw("""
            UPDATE steps SET status = @next, reason = COALESCE(@reason, reason),
                started_at = CASE WHEN @next = 'running' THEN COALESCE(started_at, @at) ELSE started_at END,
                ended_at = CASE WHEN @final THEN @at ELSE ended_at END
            WHERE run_id = @run AND step = @step AND status = @expected
            """);
        // DO NOTHING only on the attempt's own key: a missing step still fails on the foreign key.
        _insertAttempt = PrepareRaw("""
            INSERT INTO attempts (run_id, step, attempt, started_at, outcome) VALUES (@run, @step, @attempt, @at, 'running')
            ON CONFLICT (run_id, step, attempt) DO NOTHING
            """);
        _completeAttempt = PrepareRaw("""
            UPDATE attempts SET ended_at = @ended, outcome = @outcome, error_type = @type, error_message = @message, reason = @reason
            WHERE run_id = @run AND step = @step AND attempt = @attempt AND outcome = 'running'
            """);
        _insertEvent = PrepareRaw($"INSERT INTO events ({RecordMapper.EventColumns}) VALUES (@run, @at, @kind, @step, @attempt, @duration, @type, @message, @reason)");
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

    public void InsertStep(StepRecord step) => Execute(_insertStep,
        step.RunId.Value, step.Step, step.Order, StoredValues.Text(step.Status), step.Decision, step.Reason,
        StoredValues.Time(step.StartedAt), StoredValues.Time(step.EndedAt), StoredValues.OrNull(step.ArtifactHash), StoredValues.OrNull(step.ArtifactSize));

    public bool TransitionRun(RunId run, RunStatus expected, RunStatus next, DateTimeOffset at, string? reason) => Execute(_transitionRun,
        StoredValues.Text(next), StoredValues.OrNull(reason), next.IsFinal(), StoredValues.Time(at), run.Value, StoredValues.Text(expected)) == 1;

    public bool TransitionStep(RunId run, string step, StepStatus expected, StepStatus next, DateTimeOffset at, string? reason) => Execute(_transitionStep,
        StoredValues.Text(next), StoredValues.OrNull(reason), StoredValues.Time(at), next.IsFinal(), run.Value, step, StoredValues.Text(expected)) == 1;

    public bool StartAttempt(RunId run, string step, int attempt, DateTimeOffset at) =>
        Execute(_insertAttempt, run.Value, step, attempt, StoredValues.Time(at)) == 1;

    public bool CompleteAttempt(StepAttemptRecord attempt) => Execute(_completeAttempt,
        StoredValues.Time(attempt.EndedAt), StoredValues.Text(attempt.Outcome), StoredValues.OrNull(attempt.ErrorType), StoredValues.OrNull(attempt.ErrorMessage),
        StoredValues.OrNull(attempt.Reason), attempt.RunId.Value, attempt.Step, attempt.Attempt) == 1;

    public void AppendEvent(RunEvent e) => Execute(_insertEvent,
        e.RunId.Value, StoredValues.Time(e.At), StoredValues.Text(e.Kind), StoredValues.OrNull(e.Step), StoredValues.OrNull(e.Attempt), StoredValues.Ticks(e.Duration),
        StoredValues.OrNull(e.ErrorType), StoredValues.OrNull(e.ErrorMessage), StoredValues.OrNull(e.Reason));

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
