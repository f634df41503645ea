using System.ComponentModel;
using System.IO.Pipelines;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sluice.Processes;

/// <summary>A program started by posix_spawn(3) as the leader of a new session and process group, its standard output and error on pipes.</summary>
/// <remarks>
/// posix_spawn with POSIX_SPAWN_SETSID does in one clone+exec what <c>setsid</c>(1) did with a second exec: the
/// program's pid is its process-group id. Standard input is <c>/dev/null</c>; signal handlers and the signal mask
/// are reset to the defaults (.NET ignores SIGPIPE, which exec would otherwise pass on). Every pipe end is
/// close-on-exec, so a command started in parallel never inherits another's pipes and holds them open.
/// .NET's own SIGCHLD handling reaps only the children <see cref="System.Diagnostics.Process"/> started (it peeks
/// with WNOWAIT), so this child is reaped here, by <see cref="ChildReaper"/>, with waitpid(2) on its pid alone.
/// </remarks>
internal sealed unsafe class ChildProcess : IDisposable
{
    private ChildProcess(int id, int output, int error)
    {
        Id = id;
        StandardOutput = Reader(output);
        StandardError = Reader(error);
        try
        {
            Exited = ChildReaper.Watch(id);
        }
        catch (Win32Exception)
        {
            // No pidfd (Linux before 5.3): a thread of its own blocks in waitpid on this child.
            var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            new Thread(() => WaitForExit(id, exited), maxStackSize: 256 * 1024) { IsBackground = true, Name = "Sluice command " + id }.Start();
            Exited = exited.Task;
        }
    }

    /// <summary>Gets the process id, which is also its process-group and session id.</summary>
    public int Id { get; }

    /// <summary>Gets the program's standard output.</summary>
    public PipeReader StandardOutput { get; }

    /// <summary>Gets the program's standard error.</summary>
    public PipeReader StandardError { get; }

    /// <summary>Gets a task that completes with the exit code once the program has ended and been reaped (128 + N when killed by signal N, as .NET reports it).</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts <paramref name="path"/> with the given argv (argv[0] included) and the complete environment (<c>NAME=value</c> entries).</summary>
    /// <exception cref="Win32Exception">posix_spawn failed, for example because the file is not executable.</exception>
    public static ChildProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory)
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
            return new ChildProcess(pid, output[0], error[0]);
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

    /// <inheritdoc/>
    public void Dispose()
    {
        // Completing a reader again is harmless; the first completion closes its pipe.
        StandardOutput.Complete();
        StandardError.Complete();
    }

    private static PipeReader Reader(int fd)
    {
        // A pipe stream does its reads through epoll, as System.Diagnostics.Process does, so no thread blocks on them;
        // the reader's buffers come from the shared pool and go back to it (OutputLines).
        var pipe = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
        return PipeReader.Create(pipe, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: false));
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

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new Win32Exception(result, $"{call} failed: {Marshal.GetPInvokeErrorMessage(result)}");
        }
    }

    private static void WaitForExit(int pid, TaskCompletionSource<int> exited)
    {
        int status;
        while (Posix.WaitPid(pid, out status, 0) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Posix.Interrupted)
            {
                exited.TrySetException(new Win32Exception(errno, $"waitpid({pid}) failed: {Marshal.GetPInvokeErrorMessage(errno)}"));
                return;
            }
        }

        exited.TrySetResult(ChildReaper.ExitCode(status));
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
