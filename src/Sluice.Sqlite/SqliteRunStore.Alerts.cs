using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sluice.Alerts;
using Sluice.Sqlite.Writing;
using Sluice.State;

namespace Sluice.Sqlite;

/// <summary>The store's alert tables (schema version 5): raised alerts, deduplicated by key, and every delivery attempt.</summary>
/// <remarks>Alerts are few (a handful per run at most), so these statements are prepared per call rather than kept on the writer.</remarks>
public sealed partial class SqliteRunStore : IAlertStore
{
    private const string AlertColumns = "id, dedupe_key, kind, pipeline, run_id, step, title, message, details, raised_at";

    /// <inheritdoc/>
    public Task<long?> TryRecordAlertAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        string details = JsonSerializer.Serialize(alert.Details, SqliteJsonContext.Default.IReadOnlyDictionaryStringString);
        return Enqueue(WriteCommand<long?>.Single(s =>
        {
            using SqliteCommand command = s.Connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO alerts ({AlertColumns}) VALUES (NULL, @key, @kind, @pipeline, @run, @step, @title, @message, @details, @at)
                ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
                """;
            command.Parameters.AddWithValue("@key", alert.DedupeKey);
            command.Parameters.AddWithValue("@kind", alert.Kind.Name);
            command.Parameters.AddWithValue("@pipeline", alert.Pipeline);
            command.Parameters.AddWithValue("@run", StoredValues.OrNull(alert.RunId?.Value));
            command.Parameters.AddWithValue("@step", StoredValues.OrNull(alert.Step));
            command.Parameters.AddWithValue("@title", alert.Title);
            command.Parameters.AddWithValue("@message", alert.Message);
            command.Parameters.AddWithValue("@details", details);
            command.Parameters.AddWithValue("@at", StoredValues.Time(alert.At));
            return command.ExecuteScalar() is long id ? id : null;
        }), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordDeliveryAttemptAsync(AlertDeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Enqueue(WriteCommand<bool>.Single(s =>
        {
            using SqliteCommand command = s.Connection.CreateCommand();
            command.CommandText = """
                INSERT INTO alert_deliveries (alert_id, sink, attempt, at, outcome, error, duration_ticks)
                VALUES (@alert, @sink, @attempt, @at, @outcome, @error, @duration)
                """;
            command.Parameters.AddWithValue("@alert", attempt.AlertId);
            command.Parameters.AddWithValue("@sink", attempt.Sink);
            command.Parameters.AddWithValue("@attempt", attempt.Attempt);
            command.Parameters.AddWithValue("@at", StoredValues.Time(attempt.At));
            command.Parameters.AddWithValue("@outcome", attempt.Outcome.ToText());
            command.Parameters.AddWithValue("@error", StoredValues.OrNull(attempt.Error));
            command.Parameters.AddWithValue("@duration", attempt.Duration.Ticks);
            command.ExecuteNonQuery();
            return true;
        }), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(RunId? run, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await FlushAsync(cancellationToken);
        return ReadAlerts(
            $"SELECT {AlertColumns} FROM alerts WHERE @run IS NULL OR run_id = @run ORDER BY raised_at DESC, id DESC LIMIT @limit",
            c =>
            {
                c.Parameters.AddWithValue("@run", StoredValues.OrNull(run?.Value));
                c.Parameters.AddWithValue("@limit", limit);
            });
    }

    /// <inheritdoc/>
    public async Task<AlertRecord?> FindAlertAsync(string dedupeKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dedupeKey);
        await FlushAsync(cancellationToken);
        return ReadAlerts($"SELECT {AlertColumns} FROM alerts WHERE dedupe_key = @key", c => c.Parameters.AddWithValue("@key", dedupeKey)) is [var found] ? found : null;
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> LatestRunStartAsync(string pipeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        await FlushAsync(cancellationToken);
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT max(created_at) FROM runs WHERE pipeline = @pipeline";
        command.Parameters.AddWithValue("@pipeline", pipeline);
        return command.ExecuteScalar() is string at ? StoredValues.ParseTime(at) : null;
    }

    private List<AlertRecord> ReadAlerts(string sql, Action<SqliteCommand> bind)
    {
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();

        // One snapshot for both queries, so every attempt read belongs to an alert read.
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
        var alerts = new List<(long Id, Alert Alert)>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = sql;
            bind(command);
            using SqliteDataReader row = command.ExecuteReader();
            while (row.Read())
            {
                alerts.Add((row.GetInt64(0), ReadAlert(row)));
            }
        }

        var deliveries = alerts.ToDictionary(a => a.Id, _ => new List<AlertDeliveryAttempt>());
        if (alerts.Count > 0)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT alert_id, sink, attempt, at, outcome, error, duration_ticks FROM alert_deliveries
                WHERE alert_id IN ({string.Join(", ", alerts.Select((_, i) => $"@a{i}"))}) ORDER BY alert_id, sink, attempt
                """;
            for (int i = 0; i < alerts.Count; i++)
            {
                command.Parameters.AddWithValue($"@a{i}", alerts[i].Id);
            }

            using SqliteDataReader row = command.ExecuteReader();
            while (row.Read())
            {
                deliveries[row.GetInt64(0)].Add(new AlertDeliveryAttempt(
                    row.GetInt64(0),
                    row.GetString(1),
                    row.GetInt32(2),
                    StoredValues.ParseTime(row.GetString(3)),
                    ParseOutcome(row.GetString(4)),
                    row.IsDBNull(5) ? null : row.GetString(5),
                    TimeSpan.FromTicks(row.GetInt64(6))));
            }
        }

        return [.. alerts.Select(a => new AlertRecord(a.Id, a.Alert, deliveries[a.Id]))];
    }

    private static Alert ReadAlert(SqliteDataReader row)
    {
        string kind = row.GetString(2);
        if (!AlertKind.TryParse(kind, out AlertKind parsed))
        {
            throw new FormatException($"The run store holds an unknown alert kind '{kind}'; it was probably written by a newer Sluice.");
        }

        return new Alert(
            parsed,
            row.GetString(3),
            row.IsDBNull(4) ? null : RunId.FromStored(row.GetString(4)),
            row.IsDBNull(5) ? null : row.GetString(5),
            row.GetString(6),
            row.GetString(7),
            StoredValues.ParseTime(row.GetString(9)),
            JsonSerializer.Deserialize(row.GetString(8), SqliteJsonContext.Default.DictionaryStringString) ?? [])
        {
            DedupeKey = row.GetString(1),
        };
    }

    private static AlertDeliveryOutcome ParseOutcome(string text) =>
        AlertDeliveryOutcomeExtensions.TryParse(text, out AlertDeliveryOutcome outcome)
            ? outcome
            : throw new FormatException($"The run store holds an unknown alert delivery outcome '{text}'; it was probably written by a newer Sluice.");
}
