using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Writing;
using Sluice.State;

namespace Sluice.Sqlite;

/// <summary>The run store's metrics summaries (table <c>metrics</c>, schema version 4).</summary>
public sealed partial class SqliteRunStore : IRunMetricsStore
{
    private const string RunLevel = "";

    /// <inheritdoc/>
    /// <remarks>One queued command for the whole summary, so it costs one group-commit entry per run whatever its size.</remarks>
    public Task RecordMeasurementsAsync(RunId run, IReadOnlyList<RunMeasurement> measurements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        RunMeasurement[] all = [.. measurements];
        foreach (RunMeasurement m in all)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(measurements));
            if (m.Step == RunLevel)
            {
                throw new ArgumentException($"Measurement '{m.Name}' names the step '': give null for a figure about the whole run.", nameof(measurements));
            }
        }

        return Enqueue(WriteCommand<bool>.Multi(s =>
        {
            using SqliteCommand insert = s.Connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO metrics (run_id, step, name, value, unit, source, attempt) VALUES (@run, @step, @name, @value, @unit, @source, @attempt)
                ON CONFLICT (run_id, step, name) DO UPDATE SET value = excluded.value, unit = excluded.unit, source = excluded.source, attempt = excluded.attempt
                """;
            SqliteParameter step = insert.Parameters.Add("@step", SqliteType.Text);
            SqliteParameter name = insert.Parameters.Add("@name", SqliteType.Text);
            SqliteParameter value = insert.Parameters.Add("@value", SqliteType.Real);
            SqliteParameter unit = insert.Parameters.Add("@unit", SqliteType.Text);
            SqliteParameter source = insert.Parameters.Add("@source", SqliteType.Text);
            SqliteParameter attempt = insert.Parameters.Add("@attempt", SqliteType.Integer);
            insert.Parameters.AddWithValue("@run", run.Value);
            insert.Prepare();
            foreach (RunMeasurement m in all)
            {
                step.Value = m.Step ?? RunLevel;
                name.Value = m.Name;
                value.Value = m.Value;
                unit.Value = (object?)m.Unit ?? DBNull.Value;
                source.Value = m.Source == MeasurementSource.Engine ? "engine" : "step";
                attempt.Value = (object?)m.Attempt ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }

            return true;
        }), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunMeasurement>> GetMeasurementsAsync(RunId run, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = """
            SELECT m.step, m.name, m.value, m.unit, m.source, m.attempt FROM metrics m
            LEFT JOIN steps s ON s.run_id = m.run_id AND s.step = m.step
            WHERE m.run_id = @run
            ORDER BY m.step <> '', s.step_order, m.name
            """;
        query.Parameters.AddWithValue("@run", run.Value);
        using SqliteDataReader reader = query.ExecuteReader();
        var found = new List<RunMeasurement>();
        while (reader.Read())
        {
            string step = reader.GetString(0);
            found.Add(new RunMeasurement(
                step.Length == 0 ? null : step,
                reader.GetString(1),
                reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4) == "engine" ? MeasurementSource.Engine : MeasurementSource.Step,
                reader.IsDBNull(5) ? null : reader.GetInt32(5)));
        }

        return found;
    }
}
