using System.ComponentModel;
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
    // A process that left the group on purpose (its own setsid) may hold the pipes open: they are read this long after the group ends.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private const int NoSuchFile = 2; // ENOENT

    private readonly ProcessCommandRunnerOptions _options = options ?? new ProcessCommandRunnerOptions();

    // Sluice's own environment minus its SLUICE_* settings, read once and kept as NAME=value entries: nothing in a run
    // changes it, and reading, filtering and joining some fifty variables for every step was a good part of a short
    // command's start.
    private readonly Lazy<InheritedVariables> _inherited = new(InheritedEnvironment);

    // Programs found on PATH, by PATH and name, as a shell's hash table does; one that has gone is looked up again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Path, string Program), string> _found = new();

    /// <inheritdoc/>
    /// <remarks>
    /// The program starts on the calling thread; its wait is handed to a command thread (<see cref="CommandThreads"/>),
    /// which the task completes on, or done right here when the caller is one already (the step after a command).
    /// </remarks>
    public async Task<CommandExit> RunAsync(CommandLaunch launch, Action<CommandStream, string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(onLine);
        cancellationToken.ThrowIfCancellationRequested();
        string? path = launch.Environment.TryGetValue("PATH", out string? declared) ? declared : InheritedPath();
        string program = ResolveProgram(launch, path, out bool remembered);
        ChildProcess child;
        try
        {
            try
            {
                child = Start(program);
            }
            catch (Win32Exception e) when (e.NativeErrorCode == NoSuchFile && remembered && Directory.Exists(launch.WorkingDirectory))
            {
                // A program found on PATH before is not looked at ahead of every start (a system call between one program
                // and the next): one that has gone since is looked for again.
                _found.TryRemove((path, launch.Program), out _);
                program = ResolveProgram(launch, path, out _);
                child = Start(program);
            }
        }
        catch (Win32Exception e) when (e.NativeErrorCode == NoSuchFile && !Directory.Exists(launch.WorkingDirectory))
        {
            // Nor is the working folder: a start that fails because it is missing says so.
            throw new CommandFailedException($"The working directory '{launch.WorkingDirectory}' of '{launch.Program}' does not exist: create it or fix WorkingDirectory(...).", e);
        }
        catch (Exception e) when (e is Win32Exception or ArgumentException)
        {
            throw new CommandFailedException($"Could not start '{launch.Program}': {e.Message}.", e);
        }

        ChildProcess Start(string resolved) =>
            ChildProcess.Start(resolved, [resolved, .. launch.Arguments], _inherited.Value.With(launch.Environment), launch.WorkingDirectory, _options.WatchExitWithPidFd);

        CommandExit Wait()
        {
            var tail = new Queue<string>();
            using ChildProcess process = child;
            using var output = new LineSplitter(line => onLine(CommandStream.Output, line));
            using var error = new LineSplitter(line =>
            {
                tail.Enqueue(line);
                while (tail.Count > _options.ErrorTailLines)
                {
                    tail.Dequeue();
                }

                onLine(CommandStream.Error, line);
            });
            int code = process.Wait(output, error, _options.KillGracePeriod, DrainLimit, cancellationToken);
            return new CommandExit(code, [.. tail]);
        }

        return CommandThreads.IsCurrent ? Wait() : await CommandThreads.RunAsync(Wait).ConfigureAwait(false);
    }

    private static InheritedVariables InheritedEnvironment()
    {
        var names = new List<string>();
        var entries = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            string name = (string)entry.Key;
            if (!name.StartsWith("SLUICE_", StringComparison.Ordinal))
            {
                names.Add(name);
                entries.Add(name + "=" + ((string?)entry.Value ?? ""));
            }
        }

        int path = names.IndexOf("PATH");
        return new InheritedVariables([.. names], [.. entries], path < 0 ? null : entries[path]["PATH=".Length..]);
    }

    private string? InheritedPath() => _inherited.Value.Path;

    /// <summary>The inherited variables' names, the same variables as NAME=value entries at the same positions, and PATH's value.</summary>
    private sealed record InheritedVariables(string[] Names, string[] Entries, string? Path)
    {
        /// <summary>The inherited environment with the declared variables set over it, as NAME=value entries.</summary>
        public IReadOnlyList<string> With(IReadOnlyDictionary<string, string> declared)
        {
            if (declared.Count == 0)
            {
                return Entries; // the same array every time; a command step declares at least SLUICE_OUTPUT_DIR
            }

            var entries = new List<string>(Entries.Length + declared.Count);
            for (int i = 0; i < Names.Length; i++)
            {
                if (!declared.ContainsKey(Names[i]))
                {
                    entries.Add(Entries[i]);
                }
            }

            foreach ((string name, string value) in declared)
            {
                entries.Add(name + "=" + value);
            }

            return entries;
        }
    }

    // The program's full path; 'remembered' when it came from the table of programs found on PATH before, unchecked.
    private string ResolveProgram(CommandLaunch launch, string? path, out bool remembered)
    {
        remembered = false;
        if (launch.Program.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(Path.Combine(launch.WorkingDirectory, launch.Program));
            if (File.Exists(full))
            {
                return full;
            }

            throw new CommandFailedException(Directory.Exists(launch.WorkingDirectory)
                ? $"Program '{launch.Program}' was not found (looked for '{full}'): a path is relative to the step's working directory."
                : $"The working directory '{launch.WorkingDirectory}' of '{launch.Program}' does not exist: create it or fix WorkingDirectory(...).");
        }

        if (_found.TryGetValue((path, launch.Program), out string? found))
        {
            remembered = true;
            return found;
        }

        found = FindOnPath(launch.Program, path);
        if (found is not null)
        {
            _found[(path, launch.Program)] = found;
        }

        return found
            ?? throw new CommandFailedException(Directory.Exists(launch.WorkingDirectory)
                ? $"Program '{launch.Program}' was not found on PATH: install it, or give its path (relative to the working directory)."
                : $"The working directory '{launch.WorkingDirectory}' of '{launch.Program}' does not exist: create it or fix WorkingDirectory(...).");
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
