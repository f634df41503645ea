using Microsoft.Data.Sqlite;
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

    // Four columns and no ORDER BY: the key text and time stay on disk, and no sort is needed to decide reuse.
    public IReadOnlyList<CheckpointSummary> ListCheckpointSummaries(string pipeline) =>
        Query("SELECT fingerprint, run_id, artifact_hash, artifact_size FROM checkpoints WHERE pipeline = @pipeline",
            c => c.Parameters.AddWithValue("@pipeline", pipeline),
            row => new CheckpointSummary(row.GetString(0), RunId.FromStored(row.GetString(1)), row.GetString(2), row.GetInt64(3)));

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
