using Sluice.Artifacts;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.FileSystem;
using Sluice.State;

namespace Sluice.Processes;

/// <summary>Stages a command step's outputs under <c>.sluice/staging/</c> and publishes them through the project's artifact store.</summary>
/// <remarks>
/// Staging lives inside the project (same file system as the objects and the published paths). Publishing stores
/// every file first (fsynced, content-addressed), then renames a copy of each over its published path, so a crash
/// leaves either the old file or the new one at every path, and a re-run republishes the same bytes.
/// </remarks>
public sealed class CommandWorkspace(string projectDirectory, IArtifactStore? artifacts = null) : ICommandWorkspace
{
    private readonly string _root = Path.GetFullPath(projectDirectory);
    private readonly IArtifactStore _artifacts = artifacts ?? new FileSystemArtifactStore(projectDirectory);

    // Emptied staging folders, most recent first, each in its run's folder.
    private readonly Stack<string> _spares = new();

    /// <summary>Gets the folder every staging folder is made in.</summary>
    public string StagingRoot => StagingRootOf(_root);

    /// <inheritdoc/>
    /// <remarks>
    /// An emptied staging folder of an earlier attempt of the same run is renamed and used again (its empty subfolders
    /// kept) rather than a new one made: on ext4 without a journal, each folder made and removed per step made every
    /// later file creation slower, as a new inode is placed by scanning past the recently deleted ones.
    /// </remarks>
    public Task<string> CreateStagingAsync(RunId run, string step, int attempt, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        string runFolder = Path.Combine(StagingRoot, run.Value);
        string staging = Path.Combine(runFolder, $"{step}.{attempt}");

        // A spare is renamed straight over the name: rename(2) fails if the spare is gone, or if an earlier process of
        // this run died in a folder of that name and left files there (an empty one it replaces). Either way the
        // checks below start clean. Fewer calls than asking first: this is on the path from one program to the next.
        string? spare = TakeSpare(runFolder);
        bool reused = spare is not null && Rename.Try(spare, staging) == 0;
        if (!reused)
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true); // an earlier process of this run died here; start clean
            }

            if (spare is not null && Directory.Exists(spare))
            {
                Directory.Move(spare, staging);
            }
            else
            {
                Directory.CreateDirectory(staging);
            }
        }

        foreach (string output in outputs)
        {
            string path = Path.Combine(staging, output);
            if (Directory.Exists(path))
            {
                DeleteTree(path); // an earlier step's folder where this step writes a file
            }

            // In a spare, whatever has the folder's name is a folder: emptying it deleted every file and link.
            string folder = Path.GetDirectoryName(path)!;
            if (!reused || !Posix.MakeDirectoryOrFindIt(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return Task.FromResult(staging);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindMissingAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        IReadOnlyList<string> missing = [.. outputs.Where(o => !IsFile(Path.Combine(staging, o)))];
        return Task.FromResult(missing);
    }

    /// <inheritdoc/>
    public async Task<(CommandOutputs Outputs, Task Published)> BeginPublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (_artifacts is FileSystemArtifactStore files && outputs.Count == 1)
        {
            // One output: hashed in staging, copied into the store only if the store lacks those bytes, fsynced, and renamed
            // from staging over its published path, all before this returns.
            ArtifactRef artifact = await files.MoveFileAsync(Path.Combine(staging, outputs[0]), outputs[0], cancellationToken).ConfigureAwait(false);
            return (new CommandOutputs([new CommandOutputFile(outputs[0], artifact.Hash.ToString(), artifact.Length)]), Task.CompletedTask);
        }

        return (await StoreThenPublishAsync(staging, outputs, cancellationToken).ConfigureAwait(false), Task.CompletedTask);
    }

    /// <inheritdoc/>
    public async Task<CommandOutputs> PublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        (CommandOutputs stored, Task published) = await BeginPublishAsync(staging, outputs, cancellationToken).ConfigureAwait(false);
        await published.ConfigureAwait(false);
        return stored;
    }

    // Several outputs: all are stored durably before the first is published, so a published file always has its object.
    private async Task<CommandOutputs> StoreThenPublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        var stored = new List<(string Path, ArtifactRef Artifact)>(outputs.Count);
        foreach (string output in outputs)
        {
            string file = Path.Combine(staging, output);
            ArtifactRef artifact = _artifacts is FileSystemArtifactStore store
                ? await store.StoreFileAsync(file, null, cancellationToken).ConfigureAwait(false)
                : await _artifacts.WriteAsync(async (stream, token) =>
                {
                    var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    await using (source.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(stream, token).ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
            stored.Add((output, artifact));
        }

        // Every output is durable from here; publishing is a deterministic overwrite, safe to repeat after a crash.
        foreach ((string path, ArtifactRef artifact) in stored)
        {
            await _artifacts.PublishAsync(artifact.Hash, path, cancellationToken).ConfigureAwait(false);
        }

        return new CommandOutputs([.. stored.Select(s => new CommandOutputFile(s.Path, s.Artifact.Hash.ToString(), s.Artifact.Length))]);
    }

    /// <inheritdoc/>
    /// <remarks>The folder is emptied of files and kept, empty subfolders and all, for the run's next attempt; <see cref="CleanStaging"/> removes it once the run is over.</remarks>
    public Task DeleteStagingAsync(string staging)
    {
        // unlink(2) directly: an exception per step costs more than the deletion.
        if (DeleteUnder(staging, keepFolders: true))
        {
            lock (_spares)
            {
                _spares.Push(staging);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Deletes every run's staging folder and returns how many there were; call only while holding the project's run lock and running no step, when any staging folder is a dead run's or an ended one's.</summary>
    /// <remarks>A process killed between creating a staging folder and deleting it leaves the folder (and what its program wrote) behind; nothing else ever reads it. A run that ends leaves its emptied folders, kept for reuse.</remarks>
    public static int CleanStaging(string projectDirectory)
    {
        string root = StagingRootOf(Path.GetFullPath(projectDirectory));
        if (!Directory.Exists(root))
        {
            return 0;
        }

        int removed = 0;
        foreach (string run in Directory.EnumerateDirectories(root))
        {
            DeleteTree(run);
            removed++;
        }

        return removed;
    }

    // What File.Exists says (a regular file, or a link to one), with one statx(2) and no objects where that can tell.
    private static bool IsFile(string path) => FileProbe.Probe(path, out _) switch
    {
        FileProbe.FileKind.File => true,
        FileProbe.FileKind.Missing => false,
        _ => File.Exists(path),
    };

    private static string StagingRootOf(string projectRoot) => Path.Combine(projectRoot, ".sluice", "staging");

    private string? TakeSpare(string runFolder)
    {
        lock (_spares)
        {
            // Spares of another run (a workspace serves one run at a time, so they are an ended run's) are dropped:
            // CleanStaging removes their folders.
            while (_spares.TryPop(out string? spare))
            {
                if (string.Equals(Path.GetDirectoryName(spare), runFolder, StringComparison.Ordinal))
                {
                    return spare;
                }
            }

            return null;
        }
    }

    private static void DeleteTree(string folder) => _ = DeleteUnder(folder, keepFolders: false);

    // Deletes every file under the folder and, unless asked to keep them, its subfolders and the folder itself; false when
    // something could not be deleted. Emptying a staging folder for reuse reports a failure instead of throwing.
    private static bool DeleteUnder(string folder, bool keepFolders)
    {
        bool all = true;
        try
        {
            foreach (FileSystemInfo entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                all &= entry is DirectoryInfo && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                    ? DeleteUnder(entry.FullName, keepFolders)
                    : Posix.Unlink(entry.FullName) == 0;
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException || (keepFolders && e is IOException or UnauthorizedAccessException))
        {
            return false;
        }

        return keepFolders ? all : Posix.RemoveDirectory(folder) == 0 && all;
    }
}
