using Sluice.Artifacts;
using Sluice.Cli.Hosting;
using Sluice.Execution;
using Sluice.FileSystem;
using Sluice.Sqlite;

namespace Sluice.Cli.Commands;

/// <summary>Opens the stores a project is configured with: the embedded SQLite file and the local artifact store by default.</summary>
internal static class StoreFactory
{
    public static async Task<SqliteRunStore> OpenAsync(ProjectPaths paths, DurabilityBarrier? durability = null) =>
        await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = paths.Database, BeforeCommit = durability is null ? null : durability.Flush }).ConfigureAwait(false);

    /// <summary>Builds the checkpoint gate of a run over the project's stores.</summary>
    public static Checkpointing Checkpointing(
        ProjectPaths paths,
        SqliteRunStore store,
        ArtifactSerializers serializers,
        IReadOnlyDictionary<string, object> parameters,
        Func<string, bool> isForced,
        TimeProvider time,
        bool verify = false,
        DurabilityBarrier? durability = null) =>
        new(store, new FileSystemArtifactStore(paths.Root, new FileSystemArtifactStoreOptions { Durability = durability }, time), serializers, parameters, isForced, time,
            verify ? IntegrityCheck.Full : IntegrityCheck.Size);
}
