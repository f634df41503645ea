using Sluice.State;
using Sluice.State.Contracts;

namespace Sluice.Sqlite.Tests;

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<ICheckpointStore> CreateStoreAsync() => await SqliteRunStore.OpenAsync(_directory.File("state/runs.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    public void Dispose() => _directory.Dispose();
}
