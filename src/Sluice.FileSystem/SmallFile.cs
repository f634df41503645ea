using System.Buffers;
using System.Runtime.InteropServices;
using Sluice.Artifacts;

namespace Sluice.FileSystem;

/// <summary>Opens, hashes and fsyncs a file with open(2), pread(2), fsync(2) and close(2) themselves: the per-step path of a command step's one output.</summary>
/// <remarks>
/// A <see cref="FileStream"/> costs six more system calls per open on Linux than the work needs (fstatfs for its
/// locking decision, flock and its unlock, fadvise, lseek, a second fstat) and several objects; a chain of command
/// steps opens two files per step (the output, and the stored object it is checked against), each a few
/// microseconds of a vCPU's time between one program's exit and the next one's start. Linux only; elsewhere
/// <see cref="Available"/> is false and callers keep their <see cref="FileStream"/>.
/// </remarks>
internal static unsafe partial class SmallFile
{
    private const int ReadOnly = 0x0; // O_RDONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int Interrupted = 4; // EINTR

    /// <summary>Gets whether these calls are used here (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux();

    /// <summary>Opens a file for reading (following a symbolic link, as <see cref="FileStream"/> does); returns the descriptor, or -1 with the errno in <paramref name="errno"/>.</summary>
    public static int Open(string path, out int errno)
    {
        int fd = OpenFile(path, ReadOnly | CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Returns the length of the open regular file, or -1 when it is not a regular file or statx failed.</summary>
    public static long Length(int fd) => FileProbe.Probe(fd, out long length) == FileProbe.FileKind.File ? length : -1;

    /// <summary>Hashes the open file from its start to its end with pread(2) into one pooled buffer; for files up to a few hundred KiB.</summary>
    /// <remarks>The file may grow while it is read: what is there is hashed, as <see cref="ContentHasher.HashAsync"/> does.</remarks>
    public static ArtifactRef Hash(int fd, string algorithm, int bufferSize, string path)
    {
        using var hasher = new ContentHasher(algorithm);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            long offset = 0;
            while (true)
            {
                nint read;
                fixed (byte* bytes = buffer)
                {
                    read = ReadAt(fd, bytes, (nuint)buffer.Length, offset);
                }

                if (read == 0)
                {
                    break;
                }

                if (read < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interrupted)
                    {
                        continue;
                    }

                    throw new IOException($"Could not read '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
                }

                hasher.Append(buffer.AsSpan(0, (int)read));
                offset += read;
            }

            return new ArtifactRef(hasher.GetHash(), hasher.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>fsync(2) of the open file; throws naming <paramref name="path"/> when it fails.</summary>
    public static void Flush(int fd, string path)
    {
        if (FlushFile(fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not flush '{path}' to disk: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
    }

    /// <summary>Closes the descriptor.</summary>
    public static void Close(int fd) => _ = CloseFile(fd);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint ReadAt(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FlushFile(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFile(int fd);
}
