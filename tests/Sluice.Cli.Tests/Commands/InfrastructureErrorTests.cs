using Microsoft.Data.Sqlite;

namespace Sluice.Cli.Tests.Commands;

/// <summary>When Sluice's own machinery fails, the command says what failed and exits with code 4.</summary>
public sealed class InfrastructureErrorTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Runs_StoreFromANewerSluice_ExitsFourNamingTheFileAndVersions()
    {
        Directory.CreateDirectory(_project.PathTo(".sluice"));
        using (var connection = new SqliteConnection($"Data Source={_project.PathTo(".sluice/runs.db")};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var cli = new CliHarness(_project.Root);
        var (exit, _, error) = await cli.RunAsync(() => CommandOutputTests.Diamond(), "runs");

        Assert.Equal(ExitCodes.InfrastructureError, exit);
        Assert.Contains("runs.db", error);
        Assert.Contains("99", error);
        Assert.DoesNotContain("   at ", error);
    }
}
