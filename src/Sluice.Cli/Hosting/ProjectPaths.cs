namespace Sluice.Cli.Hosting;

/// <summary>Where a project keeps its configuration, state and logs; everything is under the project folder.</summary>
internal sealed class ProjectPaths
{
    public ProjectPaths(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>Gets the project folder.</summary>
    public string Root { get; }

    /// <summary>Gets the folder of Sluice's own state (run store, lock).</summary>
    public string StateDirectory => Path.Combine(Root, ".sluice");

    /// <summary>Gets the embedded run store's file.</summary>
    public string Database => Path.Combine(StateDirectory, "runs.db");

    /// <summary>Gets the lock file held while a run is in progress.</summary>
    public string LockFile => Path.Combine(StateDirectory, "run.lock");

    /// <summary>Gets the configuration folder.</summary>
    public string ConfigDirectory => Path.Combine(Root, "config");

    /// <summary>Gets the logs folder.</summary>
    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>Gets a run's log folder.</summary>
    public string RunLogs(string runId) => Path.Combine(LogsDirectory, runId);

    /// <summary>Returns a path relative to the project, for messages.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path);
}
