using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Schema;
using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests.Schema;

public sealed class SchemaMigratorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("runs.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_VersionOneFile_AppliesNewerMigrationsAndKeepsData()
    {
        RunRecord run = CreateVersionOneFileWithARun();
        Migration[] migrations =
        [
            .. Migrations.All,
            new(Migrations.Latest + 1, "labels", "CREATE TABLE labels (run_id TEXT NOT NULL REFERENCES runs (id), label TEXT NOT NULL);"),
            new(Migrations.Latest + 2, "labels index", "CREATE INDEX labels_by_label ON labels (label);"),
        ];

        await using (SqliteRunStore store = SqliteRunStore.Open(new SqliteRunStoreOptions { Path = DatabasePath }, migrations))
        {
            Assert.Equal(run, await store.GetRunAsync(run.Id));
        }

        Assert.Equal(Migrations.Latest + 2, RawDatabase.UserVersion(DatabasePath));
        Assert.Equal(1L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'labels_by_label'"));
        Assert.Equal(1L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'checkpoints'"));
    }

    [Fact]
    public async Task Open_WhenAMigrationFails_LeavesTheFileAtTheLastGoodVersion()
    {
        CreateVersionOneFileWithARun();
        Migration[] migrations =
        [
            .. Migrations.All,
            new(Migrations.Latest + 1, "labels", "CREATE TABLE labels (label TEXT NOT NULL);"),
            new(Migrations.Latest + 2, "broken", "CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;"),
        ];

        Assert.Throws<SqliteException>(() => SqliteRunStore.Open(new SqliteRunStoreOptions { Path = DatabasePath }, migrations));

        Assert.Equal(Migrations.Latest + 1, RawDatabase.UserVersion(DatabasePath));
        Assert.Equal(1L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'labels'"));
        Assert.Equal(0L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"));
    }

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
        Assert.Equal(Migrations.Latest, SqliteRunStore.SchemaVersion);
    }

    private RunRecord CreateVersionOneFileWithARun()
    {
        var run = new RunRecord(RunId.New(T0, 1), "stock-forecaster", RunStatus.Succeeded, T0, T0.AddMinutes(1), "run", "build-07", 7, null);

        // A file as the first release wrote it: schema 1 only, written with that release's SQL, not today's store.
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = Migrations.All[0].Sql + $"""
                ;
                INSERT INTO runs (id, pipeline, status, created_at, ended_at, arguments, host, process_id)
                VALUES ('{run.Id}', 'stock-forecaster', 'succeeded', '{StoredValues.Time(run.CreatedAt)}', '{StoredValues.Time(run.EndedAt!.Value)}', 'run', 'build-07', 7);
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        Assert.Equal(1, RawDatabase.UserVersion(DatabasePath));
        return run;
    }
}
