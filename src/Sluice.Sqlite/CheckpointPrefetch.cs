using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Reading;
using Sluice.State;

namespace Sluice.Sqlite;

/// <summary>Every checkpoint summary of a run store, read before the caller holds the project lock, and whether that read is still current.</summary>
/// <remarks>
/// A run reads its pipeline's checkpoints just after taking the lock and cannot decide a step before they are in: in
/// a 10,000-step no-op re-run that read was 30-40 ms on the critical path. Read while the pipeline is still being
/// defined, on the other core, the summaries are used only if no other connection has committed since
/// (<c>PRAGMA data_version</c>, asked on the same connection once the lock is held); otherwise they are dropped and
/// the store is read again, as before. Every pipeline's are read: the definition that names the pipeline is what
/// runs meanwhile.
/// </remarks>
public sealed class CheckpointPrefetch : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly long _version;
    private readonly Dictionary<string, List<CheckpointSummary>> _byPipeline;
    private bool _disposed;

    private CheckpointPrefetch(SqliteConnection connection, long version, Dictionary<string, List<CheckpointSummary>> byPipeline)
    {
        _connection = connection;
        _version = version;
        _byPipeline = byPipeline;
    }

    /// <summary>Reads the summaries of the database at <paramref name="path"/>; null when there is no such file or it cannot be read now (the run's own read then reports why).</summary>
    public static CheckpointPrefetch? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();

            // One read transaction: the version is that of the snapshot the rows come from.
            Execute(connection, "BEGIN");
            var byPipeline = new Dictionary<string, List<CheckpointSummary>>(StringComparer.Ordinal);
            List<CheckpointSummary>? last = null;
            string? lastPipeline = null;
            RunStoreReader.ReadCheckpointSummaries(connection.Handle!, null, (pipeline, summary) =>
            {
                // The reader hands out one string per run of equal names, so a reference test finds each change.
                if (!ReferenceEquals(pipeline, lastPipeline))
                {
                    lastPipeline = pipeline;
                    if (!byPipeline.TryGetValue(pipeline, out last))
                    {
                        byPipeline[pipeline] = last = [];
                    }
                }

                last!.Add(summary);
            });
            long version = DataVersion(connection);
            Execute(connection, "COMMIT");
            return new CheckpointPrefetch(connection, version, byPipeline);
        }
        catch (Exception)
        {
            // Only a head start: a file from a newer Sluice, one mid-migration, a lock, anything else the run's own
            // read meets too, and reports there.
            connection.Dispose();
            return null;
        }
    }

    /// <summary>Gets every pipeline's summaries as they were read, whether or not they are still current (<see cref="TakeIfCurrent"/> says).</summary>
    public IEnumerable<KeyValuePair<string, List<CheckpointSummary>>> Summaries => _byPipeline;

    /// <summary>Returns <paramref name="pipeline"/>'s summaries if no other connection has committed since they were read, else null.</summary>
    public IReadOnlyList<CheckpointSummary>? TakeIfCurrent(string pipeline)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            try
            {
                if (DataVersion(_connection) != _version)
                {
                    return null;
                }
            }
            catch (SqliteException)
            {
                return null;
            }

            return _byPipeline.TryGetValue(pipeline, out List<CheckpointSummary>? summaries) ? summaries : [];
        }
    }

    /// <summary>Closes the connection the summaries were read on.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
    }

    private static long DataVersion(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
