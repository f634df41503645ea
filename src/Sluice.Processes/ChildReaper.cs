using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Sluice.Processes;

/// <summary>Reaps the command processes with one thread for all of them: a pidfd per child, all waited on by one epoll_wait(2).</summary>
/// <remarks>
/// A thread per child cost a thread start per command, and Thread.Start waits until the new thread runs: on a busy
/// machine, milliseconds on every step's critical path. The reaper thread starts once; a new child only adds its
/// pidfd (pidfd_open(2), Linux 5.3) to the epoll set the reaper waits on, which wakes nobody. A pidfd turns readable when its process
/// ends; waitpid(2) on that pid alone then reaps it, never a child some other part of the process started.
/// </remarks>
internal static unsafe class ChildReaper
{
    private const uint Readable = 1; // EPOLLIN
    private const int NoHang = 1; // WNOHANG
    private const int AddWatch = 1; // EPOLL_CTL_ADD

    // struct epoll_event is packed on x86-64 (12 bytes: events, then data at 4) and naturally aligned elsewhere (16: data at 8).
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 4 : 8;
    private const int EventSize = 16;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, (int Pid, TaskCompletionSource<int> Exited)> Watched = [];
    private static int _epoll = -1;

    /// <summary>Returns a task that completes with the exit code of child <paramref name="pid"/> once it has ended and been reaped.</summary>
    /// <exception cref="Win32Exception">The kernel has no pidfd_open (before Linux 5.3) or it failed.</exception>
    public static Task<int> Watch(int pid)
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int pidfd = Posix.PidFdOpen(pid, 0); // close-on-exec by definition
        if (pidfd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        lock (Gate)
        {
            if (_epoll < 0)
            {
                _epoll = Posix.EpollCreate(Posix.OpenCloseOnExec);
                if (_epoll < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    _ = Posix.Close(pidfd);
                    throw new Win32Exception(errno);
                }

                new Thread(Run) { IsBackground = true, Name = "Sluice command reaper" }.Start();
            }

            Watched[pidfd] = (pid, exited);
        }

        // Added to the epoll set the reaper already waits on: no wake-up of the reaper until the child ends.
        byte* item = stackalloc byte[EventSize];
        *(uint*)item = Readable;
        *(int*)(item + DataOffset) = pidfd;
        if (Posix.EpollControl(_epoll, AddWatch, pidfd, item) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            lock (Gate)
            {
                Watched.Remove(pidfd);
            }

            _ = Posix.Close(pidfd);
            throw new Win32Exception(errno);
        }

        return exited.Task;
    }

    /// <summary>Returns the exit code in a waitpid status: the code when the program exited, 128 + N when signal N killed it (as .NET reports it).</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    private static void Run()
    {
        const int capacity = 64;
        byte* ready = stackalloc byte[capacity * EventSize];
        int stride = DataOffset == 4 ? 12 : 16;
        while (true)
        {
            int count = Posix.EpollWait(_epoll, ready, capacity, -1);
            for (int i = 0; i < count; i++)
            {
                Reap(*(int*)(ready + (i * stride) + DataOffset));
            }
        }
    }

    private static void Reap(int pidfd)
    {
        int pid;
        TaskCompletionSource<int> exited;
        lock (Gate)
        {
            if (!Watched.TryGetValue(pidfd, out (int Pid, TaskCompletionSource<int> Exited) watched))
            {
                return;
            }

            (pid, exited) = watched;
        }

        int reaped = Posix.WaitPid(pid, out int status, NoHang);
        if (reaped == 0)
        {
            return; // not ended yet
        }

        lock (Gate)
        {
            Watched.Remove(pidfd);
        }

        _ = Posix.Close(pidfd); // leaves the epoll set with it
        if (reaped == pid)
        {
            exited.TrySetResult(ExitCode(status));
        }
        else
        {
            int errno = Marshal.GetLastPInvokeError();
            exited.TrySetException(new Win32Exception(errno, $"waitpid({pid}) failed: {Marshal.GetPInvokeErrorMessage(errno)}"));
        }
    }
}
