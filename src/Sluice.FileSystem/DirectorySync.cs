using System.Runtime.InteropServices;

namespace Sluice.FileSystem;

/// <summary>Makes a directory's entries durable (fsync on the directory), which .NET has no API for.</summary>
/// <remarks>
/// A rename is atomic but not durable until the directory holding the new name is flushed: without
/// it, a power loss after "rename succeeded" can bring back the old name or no name at all. .NET cannot
/// open a directory as a file, so on Unix this calls open/fsync/close in libc. On Windows, NTFS journals
/// metadata and there is no portable directory flush, so it does nothing.
/// </remarks>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY, the same on Linux and macOS
    private const int NoSuchFile = 2; // ENOENT, the same on Linux and macOS

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno == NoSuchFile
                ? new DirectoryNotFoundException($"Could not flush directory '{directory}': it does not exist.")
                : new IOException($"Could not open directory '{directory}' to flush it (errno {errno}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
