using System.Text;
using Sluice.Artifacts;

namespace Sluice.FileSystem;

/// <summary>A store given a barrier renames files into place at once and leaves their folders' fsyncs to <see cref="DurabilityBarrier.Flush"/>.</summary>
public sealed class DurabilityBarrierTests : IDisposable
{
    private readonly TempDirectory _project = new();
    private readonly DurabilityBarrier _barrier = new();
    private readonly FileSystemArtifactStore _store;

    public DurabilityBarrierTests() => _store = new FileSystemArtifactStore(_project.Path, new FileSystemArtifactStoreOptions { Durability = _barrier });

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Write_WithBarrier_ObjectIsInPlaceAndItsFoldersWaitForFlush()
    {
        ArtifactRef written = await _store.WriteAsync((stream, token) => stream.WriteAsync(Encoding.UTF8.GetBytes("hello"), token).AsTask());

        Assert.Equal("hello", await File.ReadAllTextAsync(_store.ObjectPath(written.Hash)));
        Assert.True(_barrier.HasPending);
        Assert.Equal(0, _barrier.FoldersFlushed);

        _barrier.Flush();

        // The new shard folder's name (in objects/) and the object's name (in the shard).
        Assert.False(_barrier.HasPending);
        Assert.Equal(2, _barrier.FoldersFlushed);
    }

    [Fact]
    public async Task StoreFile_WithBarrier_ObjectAndPublishedFileAreInPlace_AndOneFlushCoversEveryFolderOnce()
    {
        for (int i = 0; i < 3; i++)
        {
            string source = _project.File($"staging/out{i}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            await File.WriteAllTextAsync(source, "same bytes");
            ArtifactRef stored = await _store.StoreFileAsync(source, $"data/out{i}.txt");
            Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
            Assert.Equal(IntegrityResult.Intact, await _store.CheckPublishedAsync($"data/out{i}.txt", stored, IntegrityCheck.Full));
        }

        _barrier.Flush();

        // objects/, the one shard and data/: three folders, however many files were renamed into them.
        Assert.Equal(3, _barrier.FoldersFlushed);
        _barrier.Flush();
        Assert.Equal(3, _barrier.FoldersFlushed);
    }

    [Fact]
    public async Task Publish_WithBarrier_FileIsInPlaceAndItsFolderWaitsForFlush()
    {
        ArtifactRef written = await _store.WriteAsync((stream, token) => stream.WriteAsync(Encoding.UTF8.GetBytes("report"), token).AsTask());
        _barrier.Flush();

        await _store.PublishAsync(written.Hash, "reports/report.txt");

        Assert.Equal("report", await File.ReadAllTextAsync(_project.File("reports/report.txt")));
        Assert.True(_barrier.HasPending);
        _barrier.Flush();
        Assert.Equal(3, _barrier.FoldersFlushed);
    }

    [Fact]
    public void Flush_FolderRemovedSinceItWasDeferred_IsSkipped()
    {
        string folder = _project.File("gone");
        Directory.CreateDirectory(folder);
        _barrier.Defer(folder);
        Directory.Delete(folder);

        _barrier.Flush();

        Assert.False(_barrier.HasPending);
    }

    [Fact]
    public void Flush_FolderCannotBeOpened_ThrowsAndKeepsItForTheNextFlush()
    {
        // A path under a regular file: open(2) fails with ENOTDIR, which no later flush can mend by skipping it.
        File.WriteAllText(_project.File("plain"), "");
        string folder = Path.Combine(_project.File("plain"), "sub");
        _barrier.Defer(folder);

        Assert.Throws<IOException>(_barrier.Flush);
        Assert.True(_barrier.HasPending);
        Assert.Throws<IOException>(_barrier.Flush);
    }

    [Fact]
    public void Flush_NothingDeferred_DoesNothing()
    {
        _barrier.Flush();

        Assert.False(_barrier.HasPending);
        Assert.Equal(0, _barrier.FoldersFlushed);
    }
}
