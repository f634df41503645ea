using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Sluice.Planning;
using Sluice.State;

namespace Sluice.Sqlite.Reading;

/// <summary>Answers queries on short-lived read-only connections, so reads never wait for the writer (WAL gives each a snapshot).</summary>
internal sealed class RunStoreReader(string connectionString)
{
    public IReadOnlyList<RunRecord> ListRuns(int limit) =>
        Query($"SELECT {RecordMapper.RunColumns} FROM runs ORDER BY created_at DESC, id DESC LIMIT @limit",
            c => c.Parameters.AddWithValue("@limit", limit), RecordMapper.ReadRun);

    public RunRecord? GetRun(RunId run) =>
        Query($"SELECT {RecordMapper.RunColumns} FROM runs WHERE id = @run",
            c => c.Parameters.AddWithValue("@run", run.Value), RecordMapper.ReadRun) is [var found] ? found : null;

    public IReadOnlyList<StepRecord> GetSteps(RunId run) =>
        Query($"SELECT {RecordMapper.StepSelectColumns} FROM steps WHERE run_id = @run ORDER BY step_order",
            c => c.Parameters.AddWithValue("@run", run.Value), RecordMapper.ReadStep);

    public IReadOnlyList<StepAttemptRecord> GetAttempts(RunId run) =>
        Query($"""
            SELECT {RecordMapper.AttemptColumns} FROM attempts a
            JOIN steps s ON s.run_id = a.run_id AND s.step = a.step
            WHERE a.run_id = @run ORDER BY s.step_order, a.attempt
            """,
            c => c.Parameters.AddWithValue("@run", run.Value), RecordMapper.ReadAttempt);

    public IReadOnlyList<RunEvent> GetEvents(RunId run) =>
        Query($"SELECT {RecordMapper.EventColumns} FROM events WHERE run_id = @run ORDER BY seq",
            c => c.Parameters.AddWithValue("@run", run.Value), RecordMapper.ReadEvent);

    public CheckpointRecord? FindCheckpoint(string fingerprint) =>
        Query($"SELECT {RecordMapper.CheckpointColumns} FROM checkpoints WHERE fingerprint = @fingerprint",
            c => c.Parameters.AddWithValue("@fingerprint", fingerprint), RecordMapper.ReadCheckpoint) is [var found] ? found : null;

    // Two statements, not "(@step IS NULL OR step = @step)": SQLite plans that once for both cases and cannot then use
    // checkpoints_by_step, so asking for one step's newest checkpoint scanned and sorted the pipeline's every checkpoint.
    public IReadOnlyList<CheckpointRecord> ListCheckpoints(string pipeline, string? step, int limit) =>
        Query(step is null
            ? $"""
              SELECT {RecordMapper.CheckpointColumns} FROM checkpoints
              WHERE pipeline = @pipeline
              ORDER BY created_at DESC, fingerprint LIMIT @limit
              """
            : $"""
              SELECT {RecordMapper.CheckpointColumns} FROM checkpoints
              WHERE pipeline = @pipeline AND step = @step
              ORDER BY created_at DESC, fingerprint LIMIT @limit
              """,
            c =>
            {
                c.Parameters.AddWithValue("@pipeline", pipeline);
                if (step is not null)
                {
                    c.Parameters.AddWithValue("@step", step);
                }

                c.Parameters.AddWithValue("@limit", limit);
            },
            RecordMapper.ReadCheckpoint);

    /// <summary>The query that reads a pipeline's checkpoints for deciding reuse; the index checkpoints_by_step covers it (schema version 6).</summary>
    internal const string CheckpointSummariesSql = "SELECT fingerprint, run_id, artifact_hash, artifact_size FROM checkpoints WHERE pipeline = ?1";

    /// <summary>The same for every pipeline at once, the pipeline last; also answered from the index alone.</summary>
    internal const string AllCheckpointSummariesSql = "SELECT fingerprint, run_id, artifact_hash, artifact_size, pipeline FROM checkpoints";

    public IReadOnlyList<CheckpointSummary> ListCheckpointSummaries(string pipeline)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var results = new List<CheckpointSummary>();
        ReadCheckpointSummaries(connection.Handle!, pipeline, (_, summary) => results.Add(summary));
        return results;
    }

    // Four columns and no ORDER BY: the key text and time stay on disk, and no sort is needed to decide reuse.
    // Stepped through SQLite's C API: a no-op re-run reads every checkpoint of the pipeline, and most rows share their
    // run id (the run that produced them) and pipeline, so each text is made once per change, not once per row.
    /// <summary>Reads the checkpoints of <paramref name="pipeline"/>, or of every pipeline when it is null, passing each with its pipeline.</summary>
    internal static void ReadCheckpointSummaries(sqlite3 db, string? pipeline, Action<string, CheckpointSummary> add)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, pipeline is null ? AllCheckpointSummariesSql : CheckpointSummariesSql, out sqlite3_stmt statement), db);
        using (statement)
        {
            if (pipeline is not null)
            {
                SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text16(statement, 1, pipeline.AsSpan()), db);
            }

            var run = new RepeatedText();
            var owner = new RepeatedText();
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                // The fingerprint's digest from its stored bytes: its text is made only if someone asks for it.
                ReadOnlySpan<byte> fingerprint = raw.sqlite3_column_blob(statement, 0);
                RunId producer = RunId.FromStored(run.Of(statement, 1));
                string hash = Text(statement, 2);
                long size = raw.sqlite3_column_int64(statement, 3);
                CheckpointSummary summary = FingerprintDigest.TryParse(fingerprint, out FingerprintDigest digest)
                    ? new CheckpointSummary(digest, producer, hash, size)
                    : new CheckpointSummary(Encoding.UTF8.GetString(fingerprint), producer, hash, size);
                add(pipeline ?? owner.Of(statement, 4), summary);
            }

            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>A column's text that most rows repeat: made into a string again only when its bytes change.</summary>
    private sealed class RepeatedText
    {
        private byte[]? _bytes;
        private string _text = "";

        public string Of(sqlite3_stmt statement, int column)
        {
            ReadOnlySpan<byte> bytes = raw.sqlite3_column_blob(statement, column);
            if (_bytes is null || !bytes.SequenceEqual(_bytes))
            {
                _bytes = bytes.ToArray();
                _text = Encoding.UTF8.GetString(bytes);
            }

            return _text;
        }
    }

    // Column text as a string; the blob accessor gives the text's UTF-8 bytes without a terminator to scan for.
    private static string Text(sqlite3_stmt statement, int column) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    private List<T> Query<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using SqliteDataReader reader = command.ExecuteReader();
        var results = new List<T>();
        while (reader.Read())
        {
            results.Add(map(reader));
        }

        return results;
    }
}
