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
        RunRecord run = await CreateVersionOneFileWithARunAsync();
        Migration[] migrations =
        [
            .. Migrations.All,
            new(2, "labels", "CREATE TABLE labels (run_id TEXT NOT NULL REFERENCES runs (id), label TEXT NOT NULL);"),
            new(3, "labels index", "CREATE INDEX labels_by_label ON labels (label);"),
        ];

        await using (SqliteRunStore store = SqliteRunStore.Open(new SqliteRunStoreOptions { Path = DatabasePath }, migrations))
        {
            Assert.Equal(run, await store.GetRunAsync(run.Id));
        }

        Assert.Equal(3, RawDatabase.UserVersion(DatabasePath));
        Assert.Equal(1L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'labels_by_label'"));
    }

    [Fact]
    public async Task Open_WhenAMigrationFails_LeavesTheFileAtTheLastGoodVersion()
    {
        await CreateVersionOneFileWithARunAsync();
        Migration[] migrations =
        [
            .. Migrations.All,
            new(2, "labels", "CREATE TABLE labels (label TEXT NOT NULL);"),
            new(3, "broken", "CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;"),
        ];

        Assert.Throws<SqliteException>(() => SqliteRunStore.Open(new SqliteRunStoreOptions { Path = DatabasePath }, migrations));

        Assert.Equal(2, RawDatabase.UserVersion(DatabasePath));
        Assert.Equal(1L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'labels'"));
        Assert.Equal(0L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"));
    }

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
        Assert.Equal(Migrations.Latest, SqliteRunStore.SchemaVersion);
    }

    private async Task<RunRecord> CreateVersionOneFileWithARunAsync()
    {
        var run = new RunRecord(RunId.New(T0, 1), "stock-forecaster", RunStatus.Succeeded, T0, T0.AddMinutes(1), "run", "build-07", 7, null);
        await using (SqliteRunStore store = SqliteRunStore.Open(new SqliteRunStoreOptions { Path = DatabasePath }, Migrations.All.Take(1).ToArray()))
        {
            await store.CreateRunAsync(run, []);
        }

        Assert.Equal(1, RawDatabase.UserVersion(DatabasePath));
        return run;
    }
}
