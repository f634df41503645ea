using Sluice.Cli.Hosting;
using Sluice.Sqlite;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary>Opens the run store a project is configured with: the embedded SQLite file by default.</summary>
internal static class StoreFactory
{
    public static async Task<IRunStore> OpenAsync(ProjectPaths paths) =>
        await SqliteRunStore.OpenAsync(paths.Database).ConfigureAwait(false);
}
