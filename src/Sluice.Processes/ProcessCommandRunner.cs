using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Sluice.Execution;

namespace Sluice.Processes;

/// <summary>Runs a command as a child process in its own session and process group, with its output streamed line by line.</summary>
/// <remarks>
/// The child is started through <c>setsid</c> (util-linux), which calls setsid(2) and then execs the program in
/// the same process: the program's pid is its process group id, and everything it starts stays in that group
/// unless it leaves on purpose. Cancellation sends SIGTERM to the group, then SIGKILL after the grace period.
/// Arguments go through execve as they are: no shell ever sees them.
/// The inherited environment loses every <c>SLUICE_*</c> variable (Sluice's own settings, which may hold secrets);
/// the declared variables are set over it.
/// </remarks>
public sealed class ProcessCommandRunner(ProcessCommandRunnerOptions? options = null) : ICommandRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly Lazy<string> Setsid = new(() => FindOnPath("setsid", Environment.GetEnvironmentVariable("PATH"))
        ?? throw new CommandFailedException("Command steps need 'setsid' (util-linux) on PATH to run a program in its own process group: install util-linux."));

    private readonly ProcessCommandRunnerOptions _options = options ?? new ProcessCommandRunnerOptions();

    /// <inheritdoc/>
    public async Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(onLine);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(launch.WorkingDirectory))
        {
            throw new CommandFailedException($"The working directory '{launch.WorkingDirectory}' of '{launch.Program}' does not exist: create it or fix WorkingDirectory(...).");
        }

        var start = new ProcessStartInfo(Setsid.Value)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = launch.WorkingDirectory,
        };
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("SLUICE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(ResolveProgram(launch, start.Environment.TryGetValue("PATH", out string? path) ? path : null));
        foreach (string argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException($"Could not start '{launch.Program}': {e.Message}.", e);
        }

        int group = process.Id;
        process.StandardInput.Close(); // the program reads no input: EOF, never a wait on the terminal
        var tail = new Queue<string>();
        Task output = PumpAsync(process.StandardOutput, CommandStream.Output, onLine, null);
        Task error = PumpAsync(process.StandardError, CommandStream.Error, onLine, tail);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await EndGroupAsync(group).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await DrainAsync(output, error).ConfigureAwait(false);
            throw;
        }

        // The program is done; whatever it left running in its group (a forgotten background job) ends with it, or its pipes would never close.
        if (ProcessGroup.Exists(group))
        {
            await EndGroupAsync(group).ConfigureAwait(false);
        }

        await DrainAsync(output, error).ConfigureAwait(false);
        lock (tail)
        {
            return new CommandExit(process.ExitCode, [.. tail]);
        }

        async Task PumpAsync(StreamReader reader, CommandStream stream, Action<CommandStream, string> handle, Queue<string>? keep)
        {
            // One line at a time: memory stays bounded by the longest line, however much the program writes.
            while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (keep is not null)
                {
                    lock (keep)
                    {
                        keep.Enqueue(line);
                        while (keep.Count > _options.ErrorTailLines)
                        {
                            keep.Dequeue();
                        }
                    }
                }

                handle(stream, line);
            }
        }
    }

    /// <summary>SIGTERM to the group, SIGKILL to what is left after the grace period, then wait until the group is empty.</summary>
    private async Task EndGroupAsync(int group)
    {
        if (!ProcessGroup.Signal(group, ProcessGroup.SigTerm))
        {
            return;
        }

        if (await WaitGoneAsync(group, _options.KillGracePeriod).ConfigureAwait(false))
        {
            return;
        }

        ProcessGroup.Signal(group, ProcessGroup.SigKill);

        // SIGKILL cannot be ignored; what remains are zombies until their parent or init reaps them.
        await WaitGoneAsync(group, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
    }

    private static async Task<bool> WaitGoneAsync(int group, TimeSpan limit)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (ProcessGroup.Exists(group))
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task DrainAsync(Task output, Task error)
    {
        // A process that left the group on purpose (its own setsid) may hold the pipes open: do not wait on it forever.
        Task both = Task.WhenAll(output, error);
        await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
    }

    private static string ResolveProgram(CommandLaunch launch, string? path)
    {
        if (launch.Program.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(Path.Combine(launch.WorkingDirectory, launch.Program));
            return File.Exists(full)
                ? full
                : throw new CommandFailedException($"Program '{launch.Program}' was not found (looked for '{full}'): a path is relative to the step's working directory.");
        }

        return FindOnPath(launch.Program, path)
            ?? throw new CommandFailedException($"Program '{launch.Program}' was not found on PATH: install it, or give its path (relative to the working directory).");
    }

    private static string? FindOnPath(string program, string? path)
    {
        foreach (string folder in (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }
}
