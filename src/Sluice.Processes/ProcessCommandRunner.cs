using System.ComponentModel;
using System.Diagnostics;
using Sluice.Execution;

namespace Sluice.Processes;

/// <summary>Runs a command as a child process in its own session and process group, with its output streamed line by line.</summary>
/// <remarks>
/// The child is started by posix_spawn(3) with POSIX_SPAWN_SETSID (<see cref="ChildProcess"/>), so it leads a new
/// session and process group: its pid is its process group id, and everything it starts stays in that group
/// unless it leaves on purpose. Cancellation sends SIGTERM to the group, then SIGKILL after the grace period.
/// Arguments go through execve as they are: no shell ever sees them.
/// The inherited environment loses every <c>SLUICE_*</c> variable (Sluice's own settings, which may hold secrets);
/// the declared variables are set over it.
/// </remarks>
public sealed class ProcessCommandRunner(ProcessCommandRunnerOptions? options = null) : ICommandRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

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

        string program = ResolveProgram(launch, launch.Environment.TryGetValue("PATH", out string? path) ? path : Environment.GetEnvironmentVariable("PATH"));
        ChildProcess child;
        try
        {
            child = ChildProcess.Start(program, [program, .. launch.Arguments], ChildEnvironment(launch.Environment), launch.WorkingDirectory);
        }
        catch (Exception e) when (e is Win32Exception or ArgumentException)
        {
            throw new CommandFailedException($"Could not start '{launch.Program}': {e.Message}.", e);
        }

        using ChildProcess process = child;
        int group = process.Id;
        var tail = new Queue<string>();
        Task output = PumpAsync(process.StandardOutput, CommandStream.Output, onLine, null);
        Task error = PumpAsync(process.StandardError, CommandStream.Error, onLine, tail);
        try
        {
            await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await EndGroupAsync(group).ConfigureAwait(false);
            await process.Exited.ConfigureAwait(false);
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
            return new CommandExit(process.Exited.Result, [.. tail]);
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

    // Sluice's environment minus its own SLUICE_* settings (which may hold secrets), with the declared variables set over it.
    private static List<string> ChildEnvironment(IReadOnlyDictionary<string, string> declared)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            string name = (string)entry.Key;
            if (!name.StartsWith("SLUICE_", StringComparison.Ordinal))
            {
                variables[name] = (string?)entry.Value ?? "";
            }
        }

        foreach ((string name, string value) in declared)
        {
            variables[name] = value;
        }

        return [.. variables.Select(v => v.Key + "=" + v.Value)];
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
