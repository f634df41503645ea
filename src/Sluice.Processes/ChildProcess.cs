using System.ComponentModel;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Processes;

/// <summary>A program started by posix_spawn(3) as the leader of a new session and process group, its standard output and error on pipes, waited for by one thread.</summary>
/// <remarks>
/// posix_spawn with POSIX_SPAWN_SETSID does in one clone+exec what <c>setsid</c>(1) did with a second exec: the
/// program's pid is its process-group id. Standard input is <c>/dev/null</c>; every signal's action and the signal
/// mask are reset to the defaults (.NET ignores SIGPIPE, which exec would otherwise pass on). Every pipe end is
/// close-on-exec, so a command started in parallel never inherits another's pipes and holds them open.
/// <see cref="Wait"/> blocks the calling thread in poll(2) on both pipes and a pidfd (pidfd_open(2), Linux 5.3) that
/// turns readable when the program ends, as make waits for its jobs: the program's exit wakes that one thread, which
/// reaps it with waitpid(2) on its pid alone (never a child some other part of the process started; .NET's own
/// SIGCHLD handling peeks with WNOWAIT and reaps only its own). Before, the exit woke a reaper thread, the runtime's
/// socket-engine thread for the pipes and then a pool thread for each: three hand-offs on every step's critical path.
/// </remarks>
internal sealed unsafe class ChildProcess : IDisposable
{
    private const int ReadSize = 16 * 1024;

    // Without a pidfd (Linux before 5.3) or an eventfd, the wait wakes this often to look for the exit or a cancellation.
    private const int FallbackPollMilliseconds = 10;

    private int _output;
    private int _error;
    private int _exit;
    private int _wake = -1;
    private int? _status;

    private ChildProcess(int id, int output, int error, bool watchExit)
    {
        Id = id;
        _output = output;
        _error = error;
        _exit = watchExit ? Posix.PidFdOpen(id, 0) : -1; // close-on-exec by definition; -1 on a kernel without pidfds
    }

    /// <summary>Gets the process id, which is also its process-group and session id.</summary>
    public int Id { get; }

    /// <summary>Starts <paramref name="path"/> with the given argv (argv[0] included) and the complete environment (<c>NAME=value</c> entries); <paramref name="watchExit"/> false opens no pidfd.</summary>
    /// <exception cref="Win32Exception">posix_spawn failed, for example because the file is not executable.</exception>
    public static ChildProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory, bool watchExit = true)
    {
        var strings = new NativeStrings();
        void* attributes = NativeMemory.AllocZeroed(Posix.SpawnAttributesSize);
        void* actions = NativeMemory.AllocZeroed(Posix.FileActionsSize);
        void* signals = NativeMemory.AllocZeroed(Posix.SignalSetSize);
        int* output = stackalloc int[2] { -1, -1 };
        int* error = stackalloc int[2] { -1, -1 };
        bool started = false;
        try
        {
            OpenPipe(output);
            OpenPipe(error);
            Check(Posix.AttributesInit(attributes), "posix_spawnattr_init");
            Check(Posix.FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(Posix.AttributesSetFlags(attributes, Posix.SpawnSetSession | Posix.SpawnSetSignalMask | Posix.SpawnSetSignalDefault), "posix_spawnattr_setflags");
            Check(Posix.SignalSetEmpty(signals), "sigemptyset");
            Check(Posix.AttributesSetSignalMask(attributes, signals), "posix_spawnattr_setsigmask");
            // Every signal: glibc's child makes one sigaction call for each signal in this set and, for each one outside
            // it, a call to read its action and a second to reset it if the host handles it. Naming only the standard
            // signals cost 95 calls before the exec instead of 64 (strace), while the parent waits for that exec.
            Check(Posix.SignalSetFill(signals), "sigfillset");

            Check(Posix.AttributesSetSignalDefault(attributes, signals), "posix_spawnattr_setsigdefault");
            Check(Posix.FileActionsOpen(actions, 0, strings.Add("/dev/null"), Posix.OpenReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(Posix.FileActionsDup2(actions, output[1], 1), "posix_spawn_file_actions_adddup2");
            Check(Posix.FileActionsDup2(actions, error[1], 2), "posix_spawn_file_actions_adddup2");
            Check(Posix.FileActionsChangeDirectory(actions, strings.Add(workingDirectory)), "posix_spawn_file_actions_addchdir_np");
            byte* program = strings.Add(path);
            byte** args = strings.AddArray(argv);
            byte** env = strings.AddArray(environment);

            // glibc reports a failed exec (not found, not executable) as posix_spawn's own result, not as an exit code.
            int failed = Posix.Spawn(out int pid, program, actions, attributes, args, env);
            if (failed != 0)
            {
                throw new Win32Exception(failed);
            }

            started = true;
            return new ChildProcess(pid, output[0], error[0], watchExit);
        }
        finally
        {
            // The child has its own copies of the write ends: closing ours lets the reads end when the child's group is done.
            CloseIfOpen(output[1]);
            CloseIfOpen(error[1]);
            if (!started)
            {
                CloseIfOpen(output[0]);
                CloseIfOpen(error[0]);
            }

            _ = Posix.FileActionsDestroy(actions);
            _ = Posix.AttributesDestroy(attributes);
            NativeMemory.Free(signals);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            strings.Dispose();
        }
    }

    /// <summary>Waits on this thread for the program to end, passing its lines on; returns its exit code (128 + N when signal N killed it, as .NET reports it).</summary>
    /// <remarks>
    /// Whatever the program left running in its group (a forgotten background job) is ended with it, or its pipes would
    /// never close. A process that left the group on purpose (its own setsid) may hold the pipes open: they are read for
    /// at most <paramref name="drainLimit"/> after the group is gone. Cancellation ends the group (SIGTERM, then SIGKILL
    /// after <paramref name="gracePeriod"/>) and throws <see cref="OperationCanceledException"/> once it is gone.
    /// </remarks>
    public int Wait(LineSplitter output, LineSplitter error, TimeSpan gracePeriod, TimeSpan drainLimit, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        CancellationTokenRegistration cancelled = default;
        try
        {
            if (cancellationToken.CanBeCanceled)
            {
                _wake = Posix.EventFd(0, Posix.EventFdCloseOnExec | Posix.EventFdNonBlocking);
                if (_wake >= 0)
                {
                    cancelled = cancellationToken.UnsafeRegister(static wake => Signal((int)wake!), _wake);
                }
            }

            bool watching = _exit >= 0 && (_wake >= 0 || !cancellationToken.CanBeCanceled);
            while (_status is null && !cancellationToken.IsCancellationRequested)
            {
                Pump(buffer, output, error, watching ? -1 : FallbackPollMilliseconds);
            }

            cancelled.Dispose();
            CloseIfOpen(ref _wake);
            if (_status is null)
            {
                EndGroup(buffer, output, error, gracePeriod);
                Drain(buffer, output, error, drainLimit);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (ProcessGroup.Exists(Id))
            {
                EndGroup(buffer, output, error, gracePeriod);
            }

            Drain(buffer, output, error, drainLimit);
            int status = _status ?? 0;
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
        finally
        {
            cancelled.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CloseIfOpen(ref _output);
        CloseIfOpen(ref _error);
        CloseIfOpen(ref _exit);
        CloseIfOpen(ref _wake);
    }

    /// <summary>SIGTERM to the group, SIGKILL to what is left after the grace period, then wait until the group is empty.</summary>
    private void EndGroup(byte[] buffer, LineSplitter output, LineSplitter error, TimeSpan gracePeriod)
    {
        if (!ProcessGroup.Signal(Id, ProcessGroup.SigTerm))
        {
            Reap(); // the group was gone but its leader was not yet reaped
            return;
        }

        if (WaitGone(buffer, output, error, gracePeriod))
        {
            return;
        }

        ProcessGroup.Signal(Id, ProcessGroup.SigKill);

        // SIGKILL cannot be ignored; what remains are zombies until their parent or init reaps them.
        _ = WaitGone(buffer, output, error, TimeSpan.FromSeconds(2));
    }

    // Reads the pipes while the group ends (a program writing as it shuts down must not block on a full pipe), reaping the
    // leader as soon as it ends: until then its zombie keeps the group alive.
    private bool WaitGone(byte[] buffer, LineSplitter output, LineSplitter error, TimeSpan limit)
    {
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (true)
        {
            Reap();
            if (!ProcessGroup.Exists(Id))
            {
                return true;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            Pump(buffer, output, error, (int)Math.Min(left, 20));
        }
    }

    // Reads both pipes to their end, for at most the limit.
    private void Drain(byte[] buffer, LineSplitter output, LineSplitter error, TimeSpan limit)
    {
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (_output >= 0 || _error >= 0)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                break; // after the wait, what it writes is not the step's
            }

            Pump(buffer, output, error, (int)Math.Min(left, int.MaxValue));
        }

        if (_output >= 0)
        {
            output.Finish();
        }

        if (_error >= 0)
        {
            error.Finish();
        }

        CloseIfOpen(ref _output);
        CloseIfOpen(ref _error);
    }

    // One poll(2) of the open pipes, the pidfd until the leader is reaped, and the cancellation's eventfd; reads what is ready.
    private void Pump(byte[] buffer, LineSplitter output, LineSplitter error, int timeoutMilliseconds)
    {
        Posix.PollDescriptor* ready = stackalloc Posix.PollDescriptor[4];
        int count = 0;
        Watch(ready, ref count, _output);
        Watch(ready, ref count, _error);
        Watch(ready, ref count, _status is null ? _exit : -1);
        Watch(ready, ref count, _wake);

        // Threads this one woke only now, with the program started (LaneThreads.DeferWake).
        Execution.LaneThreads.WakeDeferred();
        int result = Posix.Poll(ready, (nuint)count, timeoutMilliseconds);
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Posix.Interrupted)
            {
                throw new Win32Exception(errno, $"poll on the pipes of process {Id} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            return;
        }

        bool ended = _exit < 0; // without a pidfd, every wake-up looks
        for (int i = 0; i < count; i++)
        {
            if (ready[i].Returned == 0)
            {
                continue;
            }

            int fd = ready[i].Descriptor;
            if (fd == _output)
            {
                ReadOnce(ref _output, buffer, output);
            }
            else if (fd == _error)
            {
                ReadOnce(ref _error, buffer, error);
            }
            else if (fd == _exit)
            {
                ended = true;
            }
        }

        if (ended)
        {
            Reap();
        }
    }

    private static void Watch(Posix.PollDescriptor* ready, ref int count, int fd)
    {
        if (fd >= 0)
        {
            ready[count++] = new Posix.PollDescriptor { Descriptor = fd, Events = Posix.PollIn };
        }
    }

    // One read of a pipe poll found ready (so it does not block); its end, or an error, finishes its lines and closes it.
    private static void ReadOnce(ref int fd, byte[] buffer, LineSplitter lines)
    {
        nint read;
        fixed (byte* bytes = buffer)
        {
            read = Posix.Read(fd, bytes, (nuint)buffer.Length);
        }

        if (read > 0)
        {
            lines.Feed(buffer.AsSpan(0, (int)read));
        }
        else if (read == 0 || Marshal.GetLastPInvokeError() != Posix.Interrupted)
        {
            lines.Finish();
            CloseIfOpen(ref fd);
        }
    }

    private void Reap()
    {
        if (_status is not null)
        {
            return;
        }

        int reaped = Posix.WaitPid(Id, out int status, Posix.NoHang);
        if (reaped == Id)
        {
            _status = status;
            CloseIfOpen(ref _exit);
        }
        else if (reaped < 0 && Marshal.GetLastPInvokeError() is int errno && errno != Posix.Interrupted)
        {
            throw new Win32Exception(errno, $"waitpid({Id}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    private static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = Posix.Write(eventFd, (byte*)&one, sizeof(ulong));
    }

    private static void OpenPipe(int* fds)
    {
        if (Posix.Pipe(fds, Posix.OpenCloseOnExec) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    private static void CloseIfOpen(int fd)
    {
        if (fd >= 0)
        {
            _ = Posix.Close(fd);
        }
    }

    private static void CloseIfOpen(ref int fd)
    {
        CloseIfOpen(fd);
        fd = -1;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new Win32Exception(result, $"{call} failed: {Marshal.GetPInvokeErrorMessage(result)}");
        }
    }

    /// <summary>NUL-terminated UTF-8 copies of strings, and NULL-terminated arrays of them, freed together.</summary>
    private sealed class NativeStrings : IDisposable
    {
        private readonly List<nint> _blocks = [];

        public byte* Add(string text)
        {
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{text.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which cannot be passed to a program.", nameof(text));
            }

            int length = Encoding.UTF8.GetByteCount(text);
            byte* block = (byte*)NativeMemory.Alloc((nuint)length + 1);
            _blocks.Add((nint)block);
            Encoding.UTF8.GetBytes(text, new Span<byte>(block, length));
            block[length] = 0;
            return block;
        }

        public byte** AddArray(IReadOnlyList<string> texts)
        {
            byte** array = (byte**)NativeMemory.Alloc((nuint)(texts.Count + 1), (nuint)sizeof(byte*));
            _blocks.Add((nint)array);
            for (int i = 0; i < texts.Count; i++)
            {
                array[i] = Add(texts[i]);
            }

            array[texts.Count] = null;
            return array;
        }

        public void Dispose()
        {
            foreach (nint block in _blocks)
            {
                NativeMemory.Free((void*)block);
            }

            _blocks.Clear();
        }
    }
}
