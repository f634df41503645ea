using System.Text;
using Sluice.Artifacts;

namespace Sluice.FileSystem;

/// <summary><see cref="FileSystemArtifactStore.MoveFileAsync"/>: a command's output becomes the published file itself, and the store gets a copy only when it lacks those bytes.</summary>
public sealed class MoveFileTests : IDisposable
{
    private readonly TempDirectory _project = new();
    private readonly FileSystemArtifactStore _store;

    public MoveFileTests() => _store = new FileSystemArtifactStore(_project.Path);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task MoveFile_ThePublishedFileIsTheSourceItself_AndTheObjectIsACopy()
    {
        string source = Staged("staging/out.txt", "made by a command");

        // A handle kept on the source shows which file ends up where: writes through it land in the published file only.
        using var held = new FileStream(source, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        ArtifactRef stored = await MoveAsync(source, "data/out.txt");
        held.Seek(0, SeekOrigin.End);
        held.Write(" and edited"u8);
        held.Flush();

        Assert.False(File.Exists(source));
        Assert.Equal("made by a command and edited", await File.ReadAllTextAsync(_project.File("data/out.txt")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
        Assert.Equal("made by a command", await File.ReadAllTextAsync(_store.ObjectPath(stored.Hash)));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task MoveFile_ReplacesAnOlderPublishedFile()
    {
        Directory.CreateDirectory(_project.File("data"));
        await File.WriteAllTextAsync(_project.File("data/out.txt"), "old version");

        ArtifactRef stored = await MoveAsync(Staged("staging/out.txt", "new"), "data/out.txt");

        Assert.Equal("new", await File.ReadAllTextAsync(_project.File("data/out.txt")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckPublishedAsync("data/out.txt", stored, IntegrityCheck.Full));
        Assert.Empty(Directory.EnumerateFiles(_project.File("data"), "*" + FileSystemArtifactStore.TempSuffix));
    }

    [Fact]
    public async Task MoveFile_StoreAlreadyHoldsTheBytes_ObjectIsNotWrittenAgain()
    {
        ArtifactRef written = await WriteTextAsync("same bytes");
        string path = _store.ObjectPath(written.Hash);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);

        ArtifactRef stored = await MoveAsync(Staged("staging/out.txt", "same bytes"), "data/out.txt");

        Assert.Equal(written, stored);
        Assert.Equal(old, File.GetLastWriteTimeUtc(path)); // a new copy renamed over it would carry the source's time
        Assert.Equal("same bytes", await File.ReadAllTextAsync(_project.File("data/out.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task MoveFile_StoredObjectDamagedWithoutItsLengthChanging_IsReplaced()
    {
        ArtifactRef written = await WriteTextAsync("hello");
        await File.WriteAllTextAsync(_store.ObjectPath(written.Hash), "jello");

        ArtifactRef stored = await MoveAsync(Staged("staging/out.txt", "hello"), "data/out.txt");

        Assert.Equal(written, stored);
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
    }

    [Theory]
    [InlineData(256 * 1024)]
    [InlineData((256 * 1024) + 1)]
    public async Task MoveFile_SmallAndLargeFiles_GetTheRefAWriteOfTheSameBytesGets(int size)
    {
        byte[] bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        ArtifactRef written = await _store.WriteAsync((stream, ct) => stream.WriteAsync(bytes, ct).AsTask());
        string source = _project.File("staging/out.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllBytesAsync(source, bytes);

        ArtifactRef stored = await MoveAsync(source, "data/out.bin");

        Assert.Equal(written, stored);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_project.File("data/out.bin")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
        Assert.Equal([stored], await _store.EnumerateAsync().ToListAsync());
    }

    [Fact]
    public async Task MoveFile_SourceMissing_LeavesNothingBehind()
    {
        await Assert.ThrowsAnyAsync<IOException>(() => MoveAsync(_project.File("staging/none.txt"), "data/none.txt"));

        Assert.Empty(await _store.EnumerateAsync().ToListAsync());
        Assert.Empty(TempFiles());
        Assert.False(Directory.Exists(_project.File("data")), "the target's folder is made only once a file is moved into it");
    }

    [Fact]
    public async Task MoveFile_TargetFolderOnAnotherFileSystem_IsCopiedBesideTheTargetThenRenamed()
    {
        // /dev/shm is a tmpfs: a project folder linked there makes rename(2) answer EXDEV, as a mounted data disk would.
        string elsewhere = Path.Combine("/dev/shm", "sluice-move-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(elsewhere);
        try
        {
            Directory.CreateSymbolicLink(_project.File("data"), elsewhere);
            string source = Staged("staging/out.txt", "across file systems");
            Assert.NotEqual(DeviceOf(Path.GetDirectoryName(source)!), DeviceOf(elsewhere));

            ArtifactRef stored = await MoveAsync(source, "data/out.txt");

            Assert.False(File.Exists(source));
            Assert.Equal("across file systems", await File.ReadAllTextAsync(Path.Combine(elsewhere, "out.txt")));
            Assert.Equal(["out.txt"], Directory.EnumerateFileSystemEntries(elsewhere).Select(Path.GetFileName));
            Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
            Assert.Empty(TempFiles());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task MoveFile_PublishPathOutsideTheProject_IsRefusedAndTheSourceStays()
    {
        string source = Staged("staging/x.txt", "x");

        await Assert.ThrowsAsync<ArgumentException>(() => MoveAsync(source, "../outside.txt"));

        Assert.True(File.Exists(source));
        Assert.Empty(await _store.EnumerateAsync().ToListAsync());
    }

    [Fact]
    public async Task MoveFile_WithBarrier_FolderFlushesWaitForIt()
    {
        var barrier = new DurabilityBarrier();
        var store = new FileSystemArtifactStore(_project.Path, new FileSystemArtifactStoreOptions { Durability = barrier });

        ArtifactRef stored = await store.MoveFileAsync(Staged("staging/out.txt", "x"), "data/out.txt");

        Assert.True(barrier.HasPending);
        barrier.Flush();
        Assert.False(barrier.HasPending);
        Assert.Equal(IntegrityResult.Intact, await store.CheckPublishedAsync("data/out.txt", stored, IntegrityCheck.Full));
    }

    [Fact]
    public async Task MoveFile_WithABarrierThatDoesNotFlush_PutsEverythingInPlaceAndDefersNothing()
    {
        var barrier = new DurabilityBarrier { FlushesToDisk = false };
        var store = new FileSystemArtifactStore(_project.Path, new FileSystemArtifactStoreOptions { Durability = barrier });

        ArtifactRef stored = await store.MoveFileAsync(Staged("staging/out.txt", "x"), "data/out.txt");
        ArtifactRef written = await store.WriteAsync((stream, ct) => stream.WriteAsync("manifest"u8.ToArray(), ct).AsTask());

        Assert.False(barrier.HasPending);
        barrier.Flush();
        Assert.Equal(0, barrier.FoldersFlushed);
        Assert.Equal(IntegrityResult.Intact, await store.CheckPublishedAsync("data/out.txt", stored, IntegrityCheck.Full));
        Assert.Equal(IntegrityResult.Intact, await store.CheckAsync(stored, IntegrityCheck.Full));
        Assert.Equal(IntegrityResult.Intact, await store.CheckAsync(written, IntegrityCheck.Full));
    }

    // The file system a folder is on, as stat(1) names it.
    private static string DeviceOf(string folder)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%d", folder]) { RedirectStandardOutput = true })!;
        string device = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return device;
    }

    private Task<ArtifactRef> MoveAsync(string source, string publishPath) => _store.MoveFileAsync(source, publishPath);

    private string Staged(string relative, string text)
    {
        string path = _project.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<ArtifactRef> WriteTextAsync(string text) =>
        _store.WriteAsync((stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask());

    private IEnumerable<string> TempFiles() =>
        Directory.Exists(_store.ObjectsDirectory)
            ? Directory.EnumerateFiles(_store.ObjectsDirectory, "*" + FileSystemArtifactStore.TempSuffix, SearchOption.AllDirectories)
            : [];
}
