using Microsoft.Data.Sqlite;
using Sluice.State;

namespace Sluice.Sqlite.Reading;

/// <summary>Turns result rows back into records; each column list matches its Read method's ordinals.</summary>
internal static class RecordMapper
{
    public const string RunColumns = "id, pipeline, status, created_at, ended_at, arguments, host, process_id, reason, resumed_from";

    /// <summary>The columns a step row is written with.</summary>
    public const string StepColumns = "run_id, step, step_order, status, decision, reason, started_at, ended_at, artifact_hash, artifact_size";

    // A step's attempt count is read from its attempt rows, not kept beside them: keeping it costs the writer
    // a statement per attempt, and reads are rare next to writes.
    public const string StepSelectColumns =
        "run_id, step, step_order, status, decision, reason, (SELECT count(*) FROM attempts a WHERE a.run_id = steps.run_id AND a.step = steps.step), started_at, ended_at, artifact_hash, artifact_size";

    public const string AttemptColumns = "a.run_id, a.step, a.attempt, a.started_at, a.ended_at, a.outcome, a.error_type, a.error_message, a.reason";

    public const string EventColumns = "run_id, at, kind, step, attempt, duration_ticks, error_type, error_message, reason";

    public const string CheckpointColumns = "fingerprint, pipeline, step, run_id, artifact_hash, artifact_size, fingerprint_key, created_at";

    public static CheckpointRecord ReadCheckpoint(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        RunId.FromStored(row.GetString(3)),
        row.GetString(4),
        row.GetInt64(5),
        row.GetString(6),
        StoredValues.ParseTime(row.GetString(7)));

    public static RunRecord ReadRun(SqliteDataReader row) => new(
        RunId.FromStored(row.GetString(0)),
        row.GetString(1),
        StoredValues.ParseRunStatus(row.GetString(2)),
        StoredValues.ParseTime(row.GetString(3)),
        NullableTime(row, 4),
        row.GetString(5),
        row.GetString(6),
        row.GetInt32(7),
        NullableString(row, 8),
        row.IsDBNull(9) ? null : RunId.FromStored(row.GetString(9)));

    public static StepRecord ReadStep(SqliteDataReader row) => new(
        RunId.FromStored(row.GetString(0)),
        row.GetString(1),
        row.GetInt32(2),
        StoredValues.ParseStepStatus(row.GetString(3)),
        row.GetString(4),
        row.GetString(5),
        row.GetInt32(6),
        NullableTime(row, 7),
        NullableTime(row, 8),
        row.IsDBNull(9) ? null : row.GetString(9),
        row.IsDBNull(10) ? null : row.GetInt64(10));

    public static StepAttemptRecord ReadAttempt(SqliteDataReader row) => new(
        RunId.FromStored(row.GetString(0)),
        row.GetString(1),
        row.GetInt32(2),
        StoredValues.ParseTime(row.GetString(3)),
        NullableTime(row, 4),
        StoredValues.ParseOutcome(row.GetString(5)),
        NullableString(row, 6),
        NullableString(row, 7),
        NullableString(row, 8));

    public static RunEvent ReadEvent(SqliteDataReader row) => new(
        RunId.FromStored(row.GetString(0)),
        StoredValues.ParseTime(row.GetString(1)),
        StoredValues.ParseEventKind(row.GetString(2)),
        NullableString(row, 3),
        row.IsDBNull(4) ? null : row.GetInt32(4),
        row.IsDBNull(5) ? null : TimeSpan.FromTicks(row.GetInt64(5)),
        NullableString(row, 6),
        NullableString(row, 7),
        NullableString(row, 8));

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset? NullableTime(SqliteDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : StoredValues.ParseTime(row.GetString(ordinal));
}
