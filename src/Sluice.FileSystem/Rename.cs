using System.Runtime.InteropServices;

namespace Sluice.FileSystem;

/// <summary>rename(2) itself, answering with its errno: .NET's <see cref="File.Move(string, string, bool)"/> turns a move across file systems into a copy at the target, which a reader could see half written.</summary>
internal static partial class Rename
{
    /// <summary>ENOENT: the source, or a folder of either path, is missing.</summary>
    public const int NoSuchEntry = 2;

    /// <summary>EXDEV: the two paths are on different file systems.</summary>
    public const int CrossDevice = 18;

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/>; returns 0, or the errno of the failure.</summary>
    public static int Try(string from, string to) => RenameFile(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameFile(string from, string to);
}
