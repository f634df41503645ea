using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using Sluice.Artifacts;

namespace Sluice.FileSystem;

/// <summary>Stores artifacts as files named by their hash under a project's objects folder (<c>objects/5d/1f0c...</c>) and publishes copies by atomic rename.</summary>
/// <remarks>
/// Every file is made by the same protocol: write a temp file (suffix <see cref="TempSuffix"/>) in the
/// destination's folder or the objects folder, fsync it, rename it to its final name, fsync the folder
/// (at once, or before the next record that refers to it with <see cref="FileSystemArtifactStoreOptions.Durability"/>).
/// So a reader or a crash sees the old file or the new one, never part of one; a crash leaves at most a
/// temp file, which <see cref="CleanTemporaryFilesAsync"/> removes. See docs/file-formats.md.
/// </remarks>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    /// <summary>Ends the name of every temp file the store writes, so leftovers are recognisable.</summary>
    public const string TempSuffix = ".sluice-tmp";

    private const int CopyBufferSize = 1 << 20;

    private static readonly string TempPrefix = Guid.NewGuid().ToString("N")[..16];
    private static long s_tempCounter;

    // A FileStream's own buffer for artifact readers that read in small pieces.
    private const int ReadBufferSize = 4096;

    // Project files up to this size are hashed with synchronous reads (see HashProjectFileAsync).
    private const int SmallFileSize = 256 * 1024;

    private static readonly Task<IntegrityResult> IntactTask = Task.FromResult(IntegrityResult.Intact);

    private readonly string _project;
    private readonly FileSystemArtifactStoreOptions _options;
    private readonly TimeProvider _time;
    private byte[]? _objectsFolderUtf8;

    /// <summary>Creates a store for a project folder; folders are created on first write.</summary>
    public FileSystemArtifactStore(string projectDirectory, FileSystemArtifactStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _project = Path.GetFullPath(projectDirectory);
        _options = options ?? new FileSystemArtifactStoreOptions();
        _ = new ContentHasher(_options.HashAlgorithm); // fail at construction, not on the first write
        _time = timeProvider ?? TimeProvider.System;
        ObjectsDirectory = Path.GetFullPath(Path.Combine(_project, _options.ObjectsDirectory));
    }

    /// <summary>Gets the absolute path of the objects folder.</summary>
    public string ObjectsDirectory { get; }

    /// <inheritdoc/>
    public string HashAlgorithm => _options.HashAlgorithm;

    /// <summary>Returns the absolute path an object is (or would be) stored at.</summary>
    public string ObjectPath(ContentHash hash) =>
        $"{ObjectsDirectory}{Path.DirectorySeparatorChar}{hash.HexSpan[..2]}{Path.DirectorySeparatorChar}{hash.HexSpan[2..]}";

    /// <inheritdoc/>
    public async Task<ArtifactRef> WriteAsync(Func<Stream, CancellationToken, Task> producer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(producer);
        Directory.CreateDirectory(ObjectsDirectory);
        string temp = Path.Combine(ObjectsDirectory, NewTempName("object"));
        ArtifactRef result;
        try
        {
            // FileShare.None takes an exclusive flock on Unix: cleanup skips a temp file someone is still writing.
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, _options.WriteBufferSize);
            await using (file.ConfigureAwait(false))
            {
                var hashing = new HashingWriteStream(new BlockingWriteStream(file), _options.HashAlgorithm);
                await using (hashing.ConfigureAwait(false))
                {
                    await producer(hashing, cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    result = hashing.Result;
                }

                file.Flush(flushToDisk: FlushesToDisk);
            }

            string final = ObjectPath(result.Hash);

            string shard = Path.GetDirectoryName(final)!;
            if (!Directory.Exists(shard))
            {
                Directory.CreateDirectory(shard);
                FlushFolder(ObjectsDirectory);
            }

            // Always rename over an existing object: the new bytes are right by construction, while the old file may have
            // been damaged without its length changing (only a full re-hash would tell). Idempotent for intact objects.
            File.Move(temp, final, overwrite: true);
            FlushFolder(shard);

            // The object is whole in place from here, and durable once its folder is flushed (now, or by the barrier before any
            // record refers to it): a crash before that re-runs the step, and the content-addressed write makes that harmless.
            return result;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Stores a copy of a finished file and, when <paramref name="publishPath"/> is given, publishes another copy there; returns the stored object.</summary>
    /// <remarks>
    /// The same guarantees as <see cref="WriteAsync"/> followed by <see cref="PublishAsync"/>, with less waiting: the
    /// copies are made by the kernel (<see cref="File.Copy(string, string)"/>: copy_file_range or a reflink), the
    /// object is hashed from its own copy so its name always matches its bytes, and the two copies' fsyncs, then
    /// the two folders' fsyncs, are issued together, so each pair shares one journal commit instead of waiting for
    /// two. Both copies are durable before either is renamed into place; the source file is left as it was.
    /// </remarks>
    public async Task<ArtifactRef> StoreFileAsync(string file, string? publishPath, CancellationToken cancellationToken = default)
    {
        (ArtifactRef stored, Task durable) = await BeginStoreFileAsync(file, publishPath, cancellationToken).ConfigureAwait(false);
        await durable.ConfigureAwait(false);
        return stored;
    }

    /// <summary>Does <see cref="StoreFileAsync"/> in two parts: returns the object's ref once the copies are made and hashed, with a task that completes when both are durable and renamed into place.</summary>
    /// <remarks>
    /// The caller can write something else (the step's manifest) while the fsyncs run, but must await the task
    /// before it relies on the object or the published file, and before it records anything that refers to them.
    /// The source file is no longer needed once this returns.
    /// </remarks>
    public async Task<(ArtifactRef Stored, Task Durable)> BeginStoreFileAsync(string file, string? publishPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        string? target = publishPath is null ? null : ProjectPath(publishPath);
        string? targetDirectory = target is null ? null : Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(ObjectsDirectory);
        string objectTemp = Path.Combine(ObjectsDirectory, NewTempName("object"));
        string? publishTemp = target is null ? null : Path.Combine(targetDirectory!, "." + Path.GetFileName(target) + "." + NewTempName("publish"));
        FileStream? stored = null;
        try
        {
            File.Copy(file, objectTemp);

            // FileShare.Read takes a shared flock: cleanup (which needs an exclusive one) skips it, and the copy below may still open it.
            stored = new FileStream(objectTemp, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            ArtifactRef result = await HashAsync(stored, cancellationToken).ConfigureAwait(false);
            if (publishTemp is not null)
            {
                // Copied from the object, not the source: the published bytes are the hashed bytes even if the source changed since.
                Directory.CreateDirectory(targetDirectory!);
                File.Copy(objectTemp, publishTemp);
            }

            FileStream open = stored;
            stored = null; // the completion owns it now
            return (result, Task.Run(() => CompleteStoreFileAsync(open, objectTemp, result, publishTemp, target), CancellationToken.None));
        }
        catch
        {
            if (stored is not null)
            {
                await stored.DisposeAsync().ConfigureAwait(false);
            }

            TryDelete(objectTemp);
            if (publishTemp is not null)
            {
                TryDelete(publishTemp);
            }

            throw;
        }
    }

    /// <summary>Publishes a finished file by moving it to <paramref name="publishPath"/> and stores its bytes, unless the store already holds them; returns the object's ref once both are durable and in place.</summary>
    /// <remarks>
    /// Where <see cref="BeginStoreFileAsync"/> makes two copies, this makes at most one: the file itself becomes the
    /// published file (hashed and fsynced where it is, then renamed over its target), and an object is copied from it
    /// only when no intact object has those bytes. A small object already present is re-hashed before it is trusted,
    /// so a damaged one is replaced; a large one is always written again. A copy is hashed on its own too, so an
    /// object's name always matches its bytes even if something still wrote to the file. Creating and deleting fewer
    /// files and folder entries matters beyond the copy: on ext4 without a journal every new inode scans past the
    /// recently deleted ones. Only when the target is on another file system (rename(2) says EXDEV) is the file copied
    /// beside it under a temp name first. The file is gone from its old path once this returns; if it throws, it may not be.
    /// </remarks>
    public async Task<ArtifactRef> MoveFileAsync(string file, string publishPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        string target = ProjectPath(publishPath);
        StagedFile? source = null;
        FileStream? copy = null;
        string? objectTemp = null;
        try
        {
            source = StagedFile.Open(file);
            ArtifactRef result = await source.HashAsync(this, cancellationToken).ConfigureAwait(false);
            string final = ObjectPath(result.Hash);
            if (!HoldsIntact(final, result))
            {
                Directory.CreateDirectory(ObjectsDirectory);
                objectTemp = Path.Combine(ObjectsDirectory, NewTempName("object"));
                File.Copy(file, objectTemp);
                copy = new FileStream(objectTemp, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
                ArtifactRef copied = await HashAsync(copy, cancellationToken).ConfigureAwait(false);
                if (copied != result)
                {
                    throw new IOException($"'{publishPath}' changed while it was being stored ({result.Hash} then {copied.Hash}): a process the command started may still be writing it. Nothing was published.");
                }
            }

            if (FlushesToDisk)
            {
                // The two fsyncs are issued together, so they share one flush of the device.
                Task copyFlushed = copy is null ? Task.CompletedTask : Task.Run(() => copy.Flush(flushToDisk: true), CancellationToken.None);
                source.Flush();
                await copyFlushed.ConfigureAwait(false);
            }

            await DisposeAsync(copy).ConfigureAwait(false);
            copy = null;
            source.Dispose();
            source = null;
            if (objectTemp is not null)
            {
                string shard = Path.GetDirectoryName(final)!;
                if (!Directory.Exists(shard))
                {
                    Directory.CreateDirectory(shard);
                    FlushFolder(ObjectsDirectory);
                }

                File.Move(objectTemp, final, overwrite: true);
                objectTemp = null;
                FlushFolder(shard);
            }

            // Both are durable from here: the object (new or already there) before the published name that depends on it.
            PublishByRename(file, target);
            FlushFolder(Path.GetDirectoryName(target)!);
            return result;
        }
        catch
        {
            source?.Dispose();
            await DisposeAsync(copy).ConfigureAwait(false);
            if (objectTemp is not null)
            {
                TryDelete(objectTemp);
            }

            throw;
        }
    }

    // One rename(2) from where the file was made to its target; the target's folder is made only when that finds it
    // missing (it is there for every run but the first). Across file systems the file is copied beside the target
    // under a temp name, fsynced, and renamed over it, so the target is never seen half written; copied from the file
    // rather than published from its object (PublishAsync), because File.Copy keeps the mode bits the program gave it.
    private void PublishByRename(string file, string target)
    {
        int error = Rename.Try(file, target);
        if (error == Rename.NoSuchEntry && File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            error = Rename.Try(file, target);
        }

        if (error == Rename.CrossDevice)
        {
            string publishTemp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + NewTempName("publish"));
            try
            {
                File.Copy(file, publishTemp);
                if (FlushesToDisk)
                {
                    using var copied = new FileStream(publishTemp, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
                    copied.Flush(flushToDisk: true);
                }

                File.Move(publishTemp, target, overwrite: true);
            }
            catch
            {
                TryDelete(publishTemp);
                throw;
            }

            TryDelete(file);
            return;
        }

        if (error != 0)
        {
            throw new IOException($"Could not publish '{target}': rename from '{file}' failed: {Marshal.GetPInvokeErrorMessage(error)}.");
        }
    }

    // Whether the object at 'path' can stand for 'expected' without being written again: the right length, and for a small
    // one the right bytes (reading it creates no file, unlike writing it); a large one is written again, as WriteAsync does.
    // Synchronous: the object is small, and an asynchronous read is a thread-pool hand-off on Unix.
    private bool HoldsIntact(string path, ArtifactRef expected)
    {
        if (expected.Length > SmallFileSize || CheckSize(path, expected) != IntegrityResult.Intact)
        {
            return false;
        }

        if (SmallFile.Available)
        {
            int fd = SmallFile.Open(path, out _);
            if (fd < 0)
            {
                return false; // deleted since the size check (a concurrent gc), or unreadable: write it again
            }

            try
            {
                return SmallFile.Length(fd) == expected.Length && SmallFile.Hash(fd, expected.Hash.Algorithm, SmallFileSize, path) == expected;
            }
            finally
            {
                SmallFile.Close(fd);
            }
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
            return file.Length == expected.Length && HashSmallFile(file) == expected;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false; // deleted since the size check (a concurrent gc): write it again
        }
    }

    private async Task<ArtifactRef> HashAsync(FileStream file, CancellationToken cancellationToken) =>
        // A small file (most outputs) is hashed with synchronous reads: an asynchronous read is a thread-pool hand-off on Unix.
        file.Length <= SmallFileSize
            ? HashSmallFile(file)
            : await ContentHasher.HashAsync(_options.HashAlgorithm, file, cancellationToken).ConfigureAwait(false);

    /// <summary>The file <see cref="MoveFileAsync"/> publishes: opened with open(2) on Linux (<see cref="SmallFile"/>), as a <see cref="FileStream"/> elsewhere.</summary>
    private sealed class StagedFile : IDisposable
    {
        private readonly string _path;
        private int _fd;
        private FileStream? _stream;

        private StagedFile(string path, int fd, FileStream? stream)
        {
            _path = path;
            _fd = fd;
            _stream = stream;
        }

        public static StagedFile Open(string path)
        {
            if (SmallFile.Available)
            {
                int fd = SmallFile.Open(path, out int errno);
                if (fd >= 0)
                {
                    return new StagedFile(path, fd, null);
                }

                if (errno is not (2 or 20)) // ENOENT, ENOTDIR: the FileStream below throws what callers expect for a missing file
                {
                    throw new IOException($"Could not open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
                }
            }

            return new StagedFile(path, -1, new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan));
        }

        public async ValueTask<ArtifactRef> HashAsync(FileSystemArtifactStore store, CancellationToken cancellationToken)
        {
            if (_stream is not null)
            {
                return await store.HashAsync(_stream, cancellationToken).ConfigureAwait(false);
            }

            long length = SmallFile.Length(_fd);
            if (length >= 0 && length <= SmallFileSize)
            {
                return SmallFile.Hash(_fd, store._options.HashAlgorithm, SmallFileSize, _path);
            }

            // A large file (or, oddly, no regular file) is read as a stream, as elsewhere; the descriptor stays this object's.
            var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(_fd, ownsHandle: false), FileAccess.Read, bufferSize: 0);
            await using (stream.ConfigureAwait(false))
            {
                return await ContentHasher.HashAsync(store._options.HashAlgorithm, stream, cancellationToken).ConfigureAwait(false);
            }
        }

        public void Flush()
        {
            if (_stream is not null)
            {
                _stream.Flush(flushToDisk: true);
            }
            else
            {
                SmallFile.Flush(_fd, _path);
            }
        }

        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
            if (_fd >= 0)
            {
                SmallFile.Close(_fd);
                _fd = -1;
            }
        }
    }

    private static async ValueTask DisposeAsync(FileStream? file)
    {
        if (file is not null)
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CompleteStoreFileAsync(FileStream stored, string objectTemp, ArtifactRef result, string? publishTemp, string? target)
    {
        try
        {
            await using (stored.ConfigureAwait(false))
            {
                Task publishFlushed = publishTemp is null ? Task.CompletedTask : Task.Run(() => FlushFile(publishTemp), CancellationToken.None);
                stored.Flush(flushToDisk: FlushesToDisk);
                await publishFlushed.ConfigureAwait(false);
            }

            string final = ObjectPath(result.Hash);
            string shard = Path.GetDirectoryName(final)!;
            if (!Directory.Exists(shard))
            {
                Directory.CreateDirectory(shard);
                FlushFolder(ObjectsDirectory);
            }

            // Both copies are durable from here; rename(2) replaces each target atomically, as in WriteAsync and PublishAsync.
            File.Move(objectTemp, final, overwrite: true);
            Task folderFlushed = Task.CompletedTask;
            if (publishTemp is not null)
            {
                File.Move(publishTemp, target!, overwrite: true);
                string targetFolder = Path.GetDirectoryName(target!)!;
                if (_options.Durability is { } barrier)
                {
                    barrier.Defer(targetFolder);
                }
                else
                {
                    folderFlushed = Task.Run(() => DirectorySync.Flush(targetFolder), CancellationToken.None);
                }
            }

            FlushFolder(shard);
            await folderFlushed.ConfigureAwait(false);
        }
        catch
        {
            TryDelete(objectTemp);
            if (publishTemp is not null)
            {
                TryDelete(publishTemp);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public Task<Stream?> OpenReadAsync(ContentHash hash, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream?>(TryOpenRead(ObjectPath(hash)));

    /// <inheritdoc/>
    public Task<IntegrityResult> CheckAsync(ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken = default)
    {
        // A no-op re-run checks every stored object's size: the path is composed on the stack, and no string is made for it.
        if (check == IntegrityCheck.Size && CheckObjectSize(expected) is { } known)
        {
            return known == IntegrityResult.Intact ? IntactTask : Task.FromResult(known);
        }

        return CheckFileAsync(ObjectPath(expected.Hash), expected, check, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task PublishAsync(ContentHash hash, string relativePath, CancellationToken cancellationToken = default)
    {
        string target = ProjectPath(relativePath);
        string directory = Path.GetDirectoryName(target)!;
        Stream source = TryOpenRead(ObjectPath(hash)) ?? throw new KeyNotFoundException($"Cannot publish '{relativePath}': artifact {hash} is not in the store at '{ObjectsDirectory}'.");
        await using (source.ConfigureAwait(false))
        {
            Directory.CreateDirectory(directory);

            // A copy, not a hard link: a user editing the published file in place must not change the stored object.
            string temp = Path.Combine(directory, "." + Path.GetFileName(target) + "." + NewTempName("publish"));
            try
            {
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
                await using (file.ConfigureAwait(false))
                {
                    await source.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: FlushesToDisk);
                }

                // rename(2) replaces the target atomically: readers see the old file or the new one.
                File.Move(temp, target, overwrite: true);
                FlushFolder(directory);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<ContentHash?> HashProjectFileAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        string path = ProjectPath(relativePath);
        if (!File.Exists(path))
        {
            return null;
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            if (file.Length <= SmallFileSize)
            {
                // A small input (a config or a list of numbers) is read in one synchronous call: at start-up, reading it
                // asynchronously costs more in thread-pool hand-offs and first-call work than reading it does.
                return HashSmallFile(file).Hash;
            }

            return (await ContentHasher.HashAsync(_options.HashAlgorithm, file, cancellationToken).ConfigureAwait(false)).Hash;
        }
    }

    private ArtifactRef HashSmallFile(FileStream file)
    {
        using var hasher = new ContentHasher(_options.HashAlgorithm);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(SmallFileSize);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                // The file may grow while it is read: hash what is there, as the asynchronous path does.
                hasher.Append(buffer.AsSpan(0, read));
            }

            return new ArtifactRef(hasher.GetHash(), hasher.Length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public Task<IntegrityResult> CheckPublishedAsync(string relativePath, ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken = default) =>
        CheckFileAsync(ProjectPath(relativePath), expected, check, cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<ArtifactRef> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (!Directory.Exists(ObjectsDirectory))
        {
            yield break;
        }

        foreach (string shard in Directory.EnumerateDirectories(ObjectsDirectory).Order(StringComparer.Ordinal))
        {
            string prefix = Path.GetFileName(shard);
            foreach (string file in Directory.EnumerateFiles(shard).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryParseObjectName(prefix, Path.GetFileName(file), out ContentHash hash) && new FileInfo(file) is { Exists: true } info)
                {
                    yield return new ArtifactRef(hash, info.Length);
                }
            }
        }
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(ContentHash hash, CancellationToken cancellationToken = default)
    {
        string path = ObjectPath(hash);
        bool existed = File.Exists(path);
        File.Delete(path);
        return Task.FromResult(existed);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A temp file is deleted only when it is at least <paramref name="olderThan"/> old (by last write time)
    /// and can be opened exclusively: writers hold an exclusive lock (flock on Unix) until they rename, so a
    /// write in progress is never removed even when it is slow. Only files ending in <see cref="TempSuffix"/>
    /// are considered, and only where they are made: the objects folder itself (never a shard folder) and the folders
    /// of the published paths. Listing all 256 shard folders as well took 11 ms per 10,000 objects at the start of
    /// every run, for files no version of the store ever wrote there (docs/file-formats.md, "Temp files").
    /// </remarks>
    public Task<int> CleanTemporaryFilesAsync(TimeSpan olderThan, IEnumerable<string> publishedPaths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publishedPaths);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(ObjectsDirectory))
        {
            folders.Add(ObjectsDirectory);
        }

        foreach (string published in publishedPaths)
        {
            string folder = Path.GetDirectoryName(ProjectPath(published))!;
            if (Directory.Exists(folder))
            {
                folders.Add(folder);
            }
        }

        DateTime cutoff = _time.GetUtcNow().UtcDateTime - olderThan;
        int deleted = 0;
        foreach (string folder in folders)
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*" + TempSuffix))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // With no minimum age (the caller holds the project lock) the file's time is not compared at all: it comes from the
                // file system's clock, which need not agree with the injected one (a fake clock in tests, a skewed network share).
                if ((olderThan <= TimeSpan.Zero || File.GetLastWriteTimeUtc(file) <= cutoff) && TryDeleteUnlocked(file))
                {
                    deleted++;
                }
            }
        }

        return Task.FromResult(deleted);
    }

    private static Task<IntegrityResult> CheckFileAsync(string path, ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken) =>
        // Synchronous when the size says it all: a no-op re-run checks every stored object, and a completed task costs no state machine.
        check == IntegrityCheck.Size && CheckSize(path, expected) is { } result
            ? (result == IntegrityResult.Intact ? IntactTask : Task.FromResult(result))
            : OpenAndCheckAsync(path, expected, check, cancellationToken);

    // The size check of CheckSize on the object's path as zero-terminated UTF-8 on the stack; null when only the string path can tell.
    private IntegrityResult? CheckObjectSize(ArtifactRef expected)
    {
        ReadOnlySpan<char> hex = expected.Hash.HexSpan;
        byte[] folder = _objectsFolderUtf8 ??= System.Text.Encoding.UTF8.GetBytes(ObjectsDirectory + Path.DirectorySeparatorChar);
        int length = folder.Length + hex.Length + 2;
        if (hex.Length < 3 || length > 1024)
        {
            return null;
        }

        Span<byte> path = stackalloc byte[length];
        folder.CopyTo(path);
        int at = folder.Length;
        at += System.Text.Encoding.ASCII.GetBytes(hex[..2], path[at..]);
        path[at++] = (byte)Path.DirectorySeparatorChar;
        at += System.Text.Encoding.ASCII.GetBytes(hex[2..], path[at..]);
        path[at] = 0;
        return SizeResult(FileProbe.Probe(path, out long size), size, expected);
    }

    // What a probe tells of a size check; null when it cannot tell (a symbolic link, or no statx here).
    private static IntegrityResult? SizeResult(FileProbe.FileKind kind, long size, ArtifactRef expected) => kind switch
    {
        FileProbe.FileKind.Missing => IntegrityResult.Missing,
        FileProbe.FileKind.File => size == expected.Length ? IntegrityResult.Intact : IntegrityResult.SizeDiffers(size, expected.Length),
        _ => null,
    };

    // One stat(2) instead of open, flock, fstat and close; null for a symbolic link, whose target's size only opening it tells.
    private static IntegrityResult? CheckSize(string path, ArtifactRef expected)
    {
        FileProbe.FileKind kind = FileProbe.Probe(path, out long length);
        if (kind == FileProbe.FileKind.Link)
        {
            return null;
        }

        if (SizeResult(kind, length, expected) is { } known)
        {
            return known;
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return IntegrityResult.Missing;
        }

        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            return null;
        }

        return info.Length == expected.Length ? IntegrityResult.Intact : IntegrityResult.SizeDiffers(info.Length, expected.Length);
    }

    private static async Task<IntegrityResult> OpenAndCheckAsync(string path, ArtifactRef expected, IntegrityCheck check, CancellationToken cancellationToken)
    {
        Stream? stream = TryOpenRead(path);
        if (stream is null)
        {
            return IntegrityResult.Missing;
        }

        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length != expected.Length)
            {
                return IntegrityResult.SizeDiffers(stream.Length, expected.Length);
            }

            if (check == IntegrityCheck.Size)
            {
                return IntegrityResult.Intact;
            }

            ArtifactRef actual = await ContentHasher.HashAsync(expected.Hash.Algorithm, stream, cancellationToken).ConfigureAwait(false);
            return actual.Hash == expected.Hash ? IntegrityResult.Intact : IntegrityResult.HashDiffers;
        }
    }

    private static FileStream? TryOpenRead(string path)
    {
        try
        {
            // FileShare.Delete: a reader must not stop the object being deleted or replaced. A small buffer, allocated only if a
            // reader reads less than it at a time: hashing, copying and JSON read through their own pooled buffers, and a
            // 1 MiB one per open was a large-object-heap allocation per artifact read, each run ending in full collections.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, ReadBufferSize);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static bool TryParseObjectName(string prefix, string rest, out ContentHash hash)
    {
        // The algorithm is implied by the name's length: 32 hex digits are XXH128, 64 are SHA-256.
        string hex = prefix + rest;
        string algorithm = hex.Length == 64 ? ContentHash.Sha256 : ContentHash.Xxh128;
        return ContentHash.TryParse(algorithm + ":" + hex, out hash);
    }

    // The folder's fsync makes the name just renamed into it durable: now, or with a barrier, before a record refers to it.
    private void FlushFolder(string directory)
    {
        if (_options.Durability is { } barrier)
        {
            barrier.Defer(directory);
        }
        else
        {
            DirectorySync.Flush(directory);
        }
    }

    private void FlushFile(string path)
    {
        if (FlushesToDisk)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            file.Flush(flushToDisk: true);
        }
    }

    // False only when the barrier says so (Sluice:Durability = ProcessCrash): then no file or folder is fsynced at all.
    private bool FlushesToDisk => _options.Durability?.FlushesToDisk ?? true;

    // A random prefix per process and a counter: unique like a GUID per name, without reading the random source for each.
    private static string NewTempName(string kind) =>
        $"{kind}-{TempPrefix}{Interlocked.Increment(ref s_tempCounter).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)}{TempSuffix}";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for CleanTemporaryFilesAsync; the original failure matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool TryDeleteUnlocked(string path)
    {
        try
        {
            // Opening with FileShare.None fails while a writer holds its lock; DeleteOnClose removes it under our own lock.
            using var _ = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string ProjectPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        string full = Path.GetFullPath(Path.Combine(_project, relativePath));
        if (Path.IsPathRooted(relativePath) || !full.StartsWith(_project + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Published path '{relativePath}' must be relative to the project folder and stay inside it, like 'data/prices_clean.json'.", nameof(relativePath));
        }

        return full;
    }
}
