using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Reading;
using Xunit;

namespace Sluice.Sqlite.Tests.Schema;

/// <summary>The reuse query reads the index alone: a no-op re-run of a large pipeline reads every checkpoint it has.</summary>
public sealed class CheckpointIndexTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CheckpointSummaries_AreReadFromTheCoveringIndex_NotLookedUpRowByRowInTheTable()
    {
        string path = _directory.File("state/runs.db");
        await (await SqliteRunStore.OpenAsync(path)).DisposeAsync();

        using SqliteConnection connection = RawDatabase.Open(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + RunStoreReader.CheckpointSummariesSql;
        command.Parameters.AddWithValue("?1", "stock-forecaster");
        var plan = new List<string>();
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Equal(["SEARCH checkpoints USING COVERING INDEX checkpoints_by_step (pipeline=?)"], plan);
    }

    public void Dispose() => _directory.Dispose();
}
