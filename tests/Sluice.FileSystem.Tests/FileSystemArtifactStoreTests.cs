using System.Text;
using Sluice.Artifacts;

namespace Sluice.FileSystem;

public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _project = new();
    private readonly FileSystemArtifactStore _store;

    public FileSystemArtifactStoreTests() => _store = new FileSystemArtifactStore(_project.Path);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Write_SameContentTwice_StoresOneObjectWithTheSameRef()
    {
        ArtifactRef first = await WriteTextAsync("hello");
        ArtifactRef second = await WriteTextAsync("hello");

        Assert.Equal(first, second);
        Assert.Equal(5, first.Length);
        Assert.Equal(ContentHash.Xxh128, first.Hash.Algorithm);
        Assert.Equal([first], await ObjectsAsync());
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task Write_StoresObjectUnderTwoHexShardFolder()
    {
        ArtifactRef written = await WriteTextAsync("hello");

        string expected = Path.Combine(_project.Path, ".sluice", "objects", written.Hash.Hex[..2], written.Hash.Hex[2..]);
        Assert.Equal(expected, _store.ObjectPath(written.Hash));
        Assert.Equal("hello", await File.ReadAllTextAsync(expected));
    }

    [Fact]
    public async Task Write_DifferentContent_GivesDifferentHashes()
    {
        ArtifactRef a = await WriteTextAsync("hello");
        ArtifactRef b = await WriteTextAsync("hellp");

        Assert.NotEqual(a.Hash, b.Hash);
        Assert.Equal(2, (await ObjectsAsync()).Count);
    }

    [Fact]
    public async Task Write_HashMatchesAHashOfTheBytesRead()
    {
        ArtifactRef written = await WriteTextAsync("some artifact");

        Stream? read = await _store.OpenReadAsync(written.Hash);
        Assert.NotNull(read);
        await using (read)
        {
            Assert.Equal(written, await ContentHasher.HashAsync(ContentHash.Xxh128, read));
        }
    }

    [Fact]
    public async Task Write_Sha256Store_NamesObjectsWithSha256()
    {
        var store = new FileSystemArtifactStore(_project.Path, new FileSystemArtifactStoreOptions { HashAlgorithm = ContentHash.Sha256 });

        ArtifactRef written = await store.WriteAsync((s, ct) => s.WriteAsync("abc"u8.ToArray(), ct).AsTask());

        // The SHA-256 test vector for "abc" (FIPS 180-2).
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", written.Hash.ToString());
        Assert.Equal([written], await store.EnumerateAsync().ToListAsync());
    }

    [Fact]
    public async Task Write_256MiBStreamed_AllocatesFarLessThanItsSize()
    {
        const int chunk = 1 << 20;
        const int chunks = 256;
        byte[] buffer = new byte[chunk];
        new Random(7).NextBytes(buffer);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        ArtifactRef written = await _store.WriteAsync(async (stream, ct) =>
        {
            for (int i = 0; i < chunks; i++)
            {
                buffer[0] = (byte)i; // every chunk differs, so nothing could be deduplicated away
                await stream.WriteAsync(buffer, ct);
            }
        });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal((long)chunk * chunks, written.Length);
        Assert.True(allocated < 32L << 20, $"Writing 256 MiB allocated {allocated / (1 << 20)} MiB; the write must stream, not buffer.");
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(written, IntegrityCheck.Full));
    }

    [Fact]
    public async Task Write_ProducerThrowsMidway_LeavesNoObjectAndNoTempFile()
    {
        var failure = new InvalidOperationException("source went away");

        InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync(async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[100_000], ct);
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Empty(await ObjectsAsync());
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task Write_Cancelled_LeavesNoObject()
    {
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.WriteAsync(async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[10], ct);
            await cancellation.CancelAsync();
        }, cancellation.Token));

        Assert.Empty(await ObjectsAsync());
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task CleanTemporaryFiles_RemovesOldUnlockedLeftovers_KeepsYoungAndLockedOnes()
    {
        await WriteTextAsync("keep me");
        string objects = _store.ObjectsDirectory;
        Directory.CreateDirectory(_project.File("data"));
        string oldObjectTemp = LeftOver(Path.Combine(objects, "object-crashed" + FileSystemArtifactStore.TempSuffix), TimeSpan.FromHours(2));
        string oldPublishTemp = LeftOver(_project.File("data/.prices.json.publish-crashed" + FileSystemArtifactStore.TempSuffix), TimeSpan.FromHours(2));
        string young = LeftOver(Path.Combine(objects, "object-young" + FileSystemArtifactStore.TempSuffix), TimeSpan.Zero);
        string locked = LeftOver(Path.Combine(objects, "object-writing" + FileSystemArtifactStore.TempSuffix), TimeSpan.FromHours(2));
        string unrelated = LeftOver(_project.File("data/notes.txt"), TimeSpan.FromHours(2));

        int deleted;
        using (new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            deleted = await _store.CleanTemporaryFilesAsync(TimeSpan.FromHours(1), ["data/prices.json"]);
        }

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(oldObjectTemp));
        Assert.False(File.Exists(oldPublishTemp));
        Assert.True(File.Exists(young));
        Assert.True(File.Exists(locked));
        Assert.True(File.Exists(unrelated));
        Assert.Single(await ObjectsAsync());
    }

    [Fact]
    public async Task Publish_WritesTheObjectsBytesAtTheProjectPath()
    {
        ArtifactRef written = await WriteTextAsync("published");

        await _store.PublishAsync(written.Hash, "data/out/prices_clean.json");

        Assert.Equal("published", await File.ReadAllTextAsync(_project.File("data/out/prices_clean.json")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckPublishedAsync("data/out/prices_clean.json", written, IntegrityCheck.Full));
        Assert.Empty(Directory.EnumerateFiles(_project.File("data/out"), "*" + FileSystemArtifactStore.TempSuffix));
    }

    [Fact]
    public async Task Publish_Overwrite_KeepsEveryVersionAddressableByHash()
    {
        ArtifactRef v1 = await WriteTextAsync("version 1");
        ArtifactRef v2 = await WriteTextAsync("version 2");

        await _store.PublishAsync(v1.Hash, "data/model.json");
        await _store.PublishAsync(v2.Hash, "data/model.json");

        Assert.Equal("version 2", await File.ReadAllTextAsync(_project.File("data/model.json")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(v1, IntegrityCheck.Full));
        Assert.Equal(IntegrityResult.HashDiffers, await _store.CheckPublishedAsync("data/model.json", v1, IntegrityCheck.Full));
    }

    [Fact]
    public async Task Publish_ConcurrentReader_SeesOnlyWholeOldOrNewContent()
    {
        const int size = 1 << 20;
        ArtifactRef a = await _store.WriteAsync((s, ct) => s.WriteAsync(Filled((byte)'a', size), ct).AsTask());
        ArtifactRef b = await _store.WriteAsync((s, ct) => s.WriteAsync(Filled((byte)'b', size), ct).AsTask());
        await _store.PublishAsync(a.Hash, "data/flip.bin");
        string path = _project.File("data/flip.bin");

        Task publisher = Task.Run(async () =>
        {
            for (int i = 0; i < 40; i++)
            {
                await _store.PublishAsync((i % 2 == 0 ? b : a).Hash, "data/flip.bin");
            }
        });

        int reads = 0;
        while (!publisher.IsCompleted || reads == 0)
        {
            byte[] content = await File.ReadAllBytesAsync(path);
            reads++;
            Assert.Equal(size, content.Length);
            Assert.True(content.All(c => c == content[0]) && content[0] is (byte)'a' or (byte)'b', $"Read {reads} saw a mix of versions or a partial file.");
        }

        await publisher;
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task StoreFile_StoresAndPublishesCopies_SourceAndObjectAndPublishedAreThreeFiles()
    {
        string source = _project.File("staging/out.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllTextAsync(source, "made by a command");

        ArtifactRef stored = await _store.StoreFileAsync(source, "data/out.txt");

        Assert.Equal(await WriteTextAsync("made by a command"), stored);
        Assert.Equal(IntegrityResult.Intact, await _store.CheckPublishedAsync("data/out.txt", stored, IntegrityCheck.Full));
        Assert.Equal("made by a command", await File.ReadAllTextAsync(source));
        Assert.Empty(TempFiles());
        Assert.Empty(Directory.EnumerateFiles(_project.File("data"), "*" + FileSystemArtifactStore.TempSuffix));

        // Copies, not links: editing the published file in place must leave the stored object and the source alone.
        await File.AppendAllTextAsync(_project.File("data/out.txt"), " and edited");
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
        Assert.Equal("made by a command", await File.ReadAllTextAsync(source));
    }

    [Fact]
    public async Task StoreFile_ExecutableSource_PublishedCopyKeepsItsPermissionBits()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix permission bits
        }

        string source = _project.File("staging/tool.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllTextAsync(source, "#!/bin/sh\n");
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await _store.StoreFileAsync(source, "bin/tool.sh");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_project.File("bin/tool.sh")));
    }

    [Fact]
    public async Task StoreFile_NoPublishPath_OnlyStores()
    {
        string source = _project.File("staging/only.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllBytesAsync(source, Filled(7, 3 << 20));

        ArtifactRef stored = await _store.StoreFileAsync(source, null);

        Assert.Equal(3 << 20, stored.Length);
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
        Assert.Equal([stored], await ObjectsAsync());
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task StoreFile_SourceMissing_LeavesNoObjectNoPublishedFileAndNoTempFile()
    {
        await Assert.ThrowsAnyAsync<IOException>(() => _store.StoreFileAsync(_project.File("staging/none.txt"), "data/none.txt"));

        Assert.Empty(await ObjectsAsync());
        Assert.Empty(TempFiles());
        Assert.False(File.Exists(_project.File("data/none.txt")));
    }

    [Fact]
    public async Task StoreFile_PublishPathOutsideTheProject_IsRefusedBeforeAnythingIsStored()
    {
        string source = _project.File("staging/x.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllTextAsync(source, "x");

        await Assert.ThrowsAsync<ArgumentException>(() => _store.StoreFileAsync(source, "../outside.txt"));

        Assert.Empty(await ObjectsAsync());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.json")]
    [InlineData("data/../../outside.json")]
    public async Task Publish_PathOutsideTheProject_IsRefused(string path)
    {
        ArtifactRef written = await WriteTextAsync("x");

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _store.PublishAsync(written.Hash, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ObjectNotStored_NamesTheHash()
    {
        ArtifactRef written = await WriteTextAsync("x");
        await _store.DeleteAsync(written.Hash);

        KeyNotFoundException error = await Assert.ThrowsAsync<KeyNotFoundException>(() => _store.PublishAsync(written.Hash, "data/x.json"));

        Assert.Contains(written.Hash.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.File("data/x.json")));
    }

    [Fact]
    public async Task Check_DeletedObject_IsMissing()
    {
        ArtifactRef written = await WriteTextAsync("hello world!");

        Assert.True(await _store.DeleteAsync(written.Hash));
        Assert.False(await _store.DeleteAsync(written.Hash));

        Assert.Equal("missing", (await _store.CheckAsync(written, IntegrityCheck.Size)).Reason);
        Assert.Null(await _store.OpenReadAsync(written.Hash));
    }

    [Fact]
    public async Task Check_TruncatedObject_IsCaughtBySizeWithoutRehash()
    {
        ArtifactRef written = await WriteTextAsync("hello world!");
        Truncate(_store.ObjectPath(written.Hash), 10);

        IntegrityResult result = await _store.CheckAsync(written, IntegrityCheck.Size);

        Assert.False(result.IsIntact);
        Assert.Equal("size 10 != 12", result.Reason);
    }

    [Fact]
    public async Task Check_ProjectFolderWithNonAsciiName_FindsIntactTruncatedAndMissingObjects()
    {
        // The size check composes the object's path as UTF-8 bytes itself: a name outside ASCII must reach the same file.
        string project = _project.File("prévisions-数据");
        var store = new FileSystemArtifactStore(project);
        ArtifactRef intact = await store.WriteAsync((stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes("hello world!"), ct).AsTask());
        ArtifactRef truncated = await store.WriteAsync((stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes("goodbye world"), ct).AsTask());
        ArtifactRef missing = await store.WriteAsync((stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes("gone"), ct).AsTask());
        Truncate(store.ObjectPath(truncated.Hash), 4);
        Assert.True(await store.DeleteAsync(missing.Hash));

        Assert.Equal(IntegrityResult.Intact, await store.CheckAsync(intact, IntegrityCheck.Size));
        Assert.Equal("size 4 != 13", (await store.CheckAsync(truncated, IntegrityCheck.Size)).Reason);
        Assert.Equal(IntegrityResult.Missing, await store.CheckAsync(missing, IntegrityCheck.Size));
    }

    [Fact]
    public async Task Check_ModifiedObjectOfTheSameSize_IsCaughtOnlyByFullVerify()
    {
        ArtifactRef written = await WriteTextAsync("hello world!");
        await File.WriteAllTextAsync(_store.ObjectPath(written.Hash), "HELLO world!");

        Assert.True((await _store.CheckAsync(written, IntegrityCheck.Size)).IsIntact);
        Assert.Equal("content hash differs", (await _store.CheckAsync(written, IntegrityCheck.Full)).Reason);
    }

    [Fact]
    public async Task CheckPublished_DeletedTruncatedAndModifiedFiles_AreReportedWithTheirReason()
    {
        ArtifactRef written = await WriteTextAsync("hello world!");
        foreach (string name in new[] { "deleted", "truncated", "modified" })
        {
            await _store.PublishAsync(written.Hash, $"data/{name}.txt");
        }

        File.Delete(_project.File("data/deleted.txt"));
        Truncate(_project.File("data/truncated.txt"), 10);
        await File.WriteAllTextAsync(_project.File("data/modified.txt"), "hello World!");

        Assert.Equal("missing", (await _store.CheckPublishedAsync("data/deleted.txt", written, IntegrityCheck.Size)).Reason);
        Assert.Equal("size 10 != 12", (await _store.CheckPublishedAsync("data/truncated.txt", written, IntegrityCheck.Size)).Reason);
        Assert.True((await _store.CheckPublishedAsync("data/modified.txt", written, IntegrityCheck.Size)).IsIntact);
        Assert.Equal("content hash differs", (await _store.CheckPublishedAsync("data/modified.txt", written, IntegrityCheck.Full)).Reason);
        Assert.Equal("missing", (await _store.CheckPublishedAsync("data/never.txt", written, IntegrityCheck.Full)).Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(256 * 1024)]
    [InlineData((256 * 1024) + 1)]
    [InlineData(3 * 1024 * 1024)]
    public async Task HashProjectFile_SmallAndLargeFiles_HashEveryByteAsStoringThemWould(int size)
    {
        // Small files are read synchronously and large ones streamed: both must give the hash the store's write path gives.
        byte[] bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        Directory.CreateDirectory(Path.Combine(_project.Path, "data"));
        await File.WriteAllBytesAsync(Path.Combine(_project.Path, "data", "input.bin"), bytes);

        ContentHash? hashed = await _store.HashProjectFileAsync("data/input.bin");

        ArtifactRef stored = await _store.WriteAsync((stream, ct) => stream.WriteAsync(bytes, ct).AsTask());
        Assert.Equal(stored.Hash, hashed);
        Assert.Null(await _store.HashProjectFileAsync("data/absent.bin"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256 * 1024)]
    [InlineData((256 * 1024) + 1)]
    [InlineData(3 * 1024 * 1024)]
    public async Task StoreFile_SmallAndLargeOutputs_GetTheRefAWriteOfTheSameBytesGets(int size)
    {
        // Small outputs are hashed with synchronous reads and large ones streamed; writes go through in 4 KiB pieces with flushes between.
        byte[] bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        string source = _project.File("staging/out.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllBytesAsync(source, bytes);

        ArtifactRef stored = await _store.StoreFileAsync(source, "data/out.bin");
        ArtifactRef written = await _store.WriteAsync(async (stream, ct) =>
        {
            for (int at = 0; at < size; at += 4096)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(4096, size - at)), ct);
                await stream.FlushAsync(ct);
            }
        });

        Assert.Equal(new ArtifactRef(written.Hash, size), stored);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_project.File("data/out.bin")));
        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(stored, IntegrityCheck.Full));
    }

    [Fact]
    public async Task CheckPublished_FolderOrNothingOrWrongLengthAtThePath_IsNotIntact()
    {
        ArtifactRef written = await WriteTextAsync("four");
        Directory.CreateDirectory(_project.File("data/out.txt"));
        Assert.Equal(IntegrityResult.Missing, await _store.CheckPublishedAsync("data/out.txt", written, IntegrityCheck.Size));
        Assert.Equal(IntegrityResult.Missing, await _store.CheckPublishedAsync("data/none.txt", written, IntegrityCheck.Size));
        Assert.Equal(IntegrityResult.Missing, await _store.CheckPublishedAsync("data/out.txt/under.txt", written, IntegrityCheck.Size));

        await File.WriteAllTextAsync(_project.File("data/five.txt"), "fives");
        Assert.Equal(IntegrityResult.SizeDiffers(5, 4), await _store.CheckPublishedAsync("data/five.txt", written, IntegrityCheck.Size));
        await File.WriteAllTextAsync(_project.File("data/four.txt"), "4444");
        Assert.Equal(IntegrityResult.Intact, await _store.CheckPublishedAsync("data/four.txt", written, IntegrityCheck.Size));
    }

    [Fact]
    public async Task Check_SymbolicLinkToAnObject_ChecksTheTargetsSize()
    {
        ArtifactRef written = await WriteTextAsync("linked content");
        string path = _store.ObjectPath(written.Hash);
        string target = Path.Combine(_project.Path, "elsewhere.bin");
        File.Move(path, target);
        File.CreateSymbolicLink(path, target);

        Assert.True((await _store.CheckAsync(written, IntegrityCheck.Size)).IsIntact);

        await File.WriteAllTextAsync(target, "linked content, grown");
        Assert.False((await _store.CheckAsync(written, IntegrityCheck.Size)).IsIntact);
    }

    [Fact]
    public async Task Write_OverADamagedObject_RepairsIt()
    {
        ArtifactRef written = await WriteTextAsync("hello world!");
        Truncate(_store.ObjectPath(written.Hash), 3);

        await WriteTextAsync("hello world!");

        Assert.Equal(IntegrityResult.Intact, await _store.CheckAsync(written, IntegrityCheck.Full));
    }

    [Fact]
    public async Task WriteValue_JsonRoundTripsThroughTheStore()
    {
        var serializer = new JsonArtifactSerializer<Price>();
        var price = new Price("ACME", 12.5m);

        ArtifactRef first = await _store.WriteValueAsync(price, serializer);
        ArtifactRef second = await _store.WriteValueAsync(price with { }, serializer);

        Assert.Equal(first, second);
        Assert.Equal(price, await _store.ReadValueAsync(first.Hash, serializer));
    }

    private sealed record Price(string Symbol, decimal Value);

    private Task<ArtifactRef> WriteTextAsync(string text) =>
        _store.WriteAsync((stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask());

    private async Task<List<ArtifactRef>> ObjectsAsync() => await _store.EnumerateAsync().ToListAsync();

    private IEnumerable<string> TempFiles() =>
        Directory.Exists(_store.ObjectsDirectory)
            ? Directory.EnumerateFiles(_store.ObjectsDirectory, "*" + FileSystemArtifactStore.TempSuffix, SearchOption.AllDirectories)
            : [];

    private static string LeftOver(string path, TimeSpan age)
    {
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    private static byte[] Filled(byte value, int size)
    {
        byte[] bytes = new byte[size];
        Array.Fill(bytes, value);
        return bytes;
    }
}
