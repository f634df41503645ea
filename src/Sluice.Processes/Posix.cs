using System.Runtime.InteropServices;

namespace Sluice.Processes;

/// <summary>The glibc calls a command's process needs that .NET has no API for: posix_spawn(3) with its attributes, pipe2(2), poll(2), pidfd_open(2) and waitpid(2).</summary>
/// <remarks>Constants are glibc's on Linux (x86-64 and arm64 agree); the opaque structures are allocated larger than glibc's.</remarks>
internal static unsafe partial class Posix
{
    /// <summary>Bytes reserved for a posix_spawnattr_t (336 in glibc 2.36 on x86-64).</summary>
    public const int SpawnAttributesSize = 1024;

    /// <summary>Bytes reserved for a posix_spawn_file_actions_t (80 in glibc).</summary>
    public const int FileActionsSize = 256;

    /// <summary>Bytes reserved for a sigset_t (128 in glibc).</summary>
    public const int SignalSetSize = 256;

    public const short SpawnSetSignalDefault = 0x04;
    public const short SpawnSetSignalMask = 0x08;
    public const short SpawnSetSession = 0x80;
    public const int OpenReadOnly = 0;
    public const int OpenCloseOnExec = 0x80000;
    public const int Interrupted = 4; // EINTR
    public const int NoHang = 1; // WNOHANG
    public const short PollIn = 0x1; // POLLIN
    public const int EventFdCloseOnExec = 0x80000; // EFD_CLOEXEC
    public const int EventFdNonBlocking = 0x800; // EFD_NONBLOCK

    /// <summary>A struct pollfd: the descriptor, the events asked for, the events that happened.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    public static partial int Spawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttributesSetSignalDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static partial int SignalSetEmpty(void* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static partial int SignalSetFill(void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsOpen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsChangeDirectory(void* actions, byte* path);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "rmdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int RemoveDirectory(string path);

    [LibraryImport("libc", EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MakeDirectory(string path, uint mode);

    /// <summary>mkdir(2) with mode 0777 (less the umask); true when it made the folder or something named so was already there (EEXIST), false for any other failure.</summary>
    public static bool MakeDirectoryOrFindIt(string path) => OperatingSystem.IsLinux() && (MakeDirectory(path, 0x1FF) == 0 || Marshal.GetLastPInvokeError() == 17);

    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    public static partial int PidFdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
