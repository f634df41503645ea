using System.Runtime.InteropServices;

namespace Sluice.FileSystem;

/// <summary>What one <c>statx(2)</c> says about a path, without following a final symbolic link: whether it is a regular file, and its length.</summary>
/// <remarks>
/// A no-op re-run checks the size of every stored object and published file. <see cref="FileInfo"/> costs a full-path
/// normalisation and two objects per check on top of its <c>lstat</c>; this is the same single system call and no
/// allocation (the path's UTF-8 bytes go on the stack). <c>struct statx</c> has one layout on every Linux architecture,
/// unlike <c>struct stat</c>. Elsewhere, or when the call fails for another reason than a missing path, it answers
/// <see cref="FileKind.Unknown"/> and the caller asks <see cref="FileInfo"/>.
/// </remarks>
internal static unsafe partial class FileProbe
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH
    private const uint WantTypeAndSize = 0x1 | 0x200; // STATX_TYPE | STATX_SIZE
    private const int ModeOffset = 28; // stx_mode, a u16
    private const int SizeOffset = 40; // stx_size, a u64
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG
    private const int SymbolicLink = 0xA000; // S_IFLNK
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>What a path is.</summary>
    public enum FileKind
    {
        /// <summary>Not known: ask <see cref="FileInfo"/>.</summary>
        Unknown,

        /// <summary>Nothing is there (or something that is not a file, such as a folder).</summary>
        Missing,

        /// <summary>A regular file.</summary>
        File,

        /// <summary>A symbolic link, whose target only opening it tells.</summary>
        Link,
    }

    /// <summary>Says what <paramref name="path"/> is, and its length when it is a regular file.</summary>
    public static FileKind Probe(string path, out long length)
    {
        length = 0;
        if (s_unavailable)
        {
            return FileKind.Unknown;
        }

        byte* buffer = stackalloc byte[256];
        return Answer(Statx(CurrentDirectory, path, NoFollow, WantTypeAndSize, buffer), buffer, out length);
    }

    /// <summary>Says what the path whose UTF-8 bytes end in a zero byte is, and its length when it is a regular file.</summary>
    /// <remarks>For a caller that composes the path on the stack: no string is made for it.</remarks>
    public static FileKind Probe(ReadOnlySpan<byte> zeroTerminatedPath, out long length)
    {
        length = 0;
        if (s_unavailable || zeroTerminatedPath.IsEmpty || zeroTerminatedPath[^1] != 0)
        {
            return FileKind.Unknown;
        }

        byte* buffer = stackalloc byte[256];
        fixed (byte* path = zeroTerminatedPath)
        {
            return Answer(Statx(CurrentDirectory, path, NoFollow, WantTypeAndSize, buffer), buffer, out length);
        }
    }

    /// <summary>Says what the open file <paramref name="fd"/> is (statx with AT_EMPTY_PATH: an open file is never a link), and its length when it is a regular file.</summary>
    public static FileKind Probe(int fd, out long length)
    {
        length = 0;
        if (s_unavailable)
        {
            return FileKind.Unknown;
        }

        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        return Answer(Statx(fd, &empty, EmptyPath, WantTypeAndSize, buffer), buffer, out length);
    }

    private static FileKind Answer(int result, byte* buffer, out long length)
    {
        length = 0;
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is NoSuchFile or NotADirectory)
            {
                return FileKind.Missing;
            }

            if (errno == 38) // ENOSYS: a kernel before 4.11
            {
                s_unavailable = true;
            }

            return FileKind.Unknown;
        }

        int type = *(ushort*)(buffer + ModeOffset) & TypeMask;
        if (type == SymbolicLink)
        {
            return FileKind.Link;
        }

        if (type != RegularFile)
        {
            return FileKind.Missing;
        }

        length = (long)*(ulong*)(buffer + SizeOffset);
        return FileKind.File;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* result);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int directory, byte* path, int flags, uint mask, byte* result);
}
