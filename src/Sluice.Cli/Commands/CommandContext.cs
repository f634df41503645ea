using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Definitions;
using Sluice.Planning;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary>What every command shares: the environment, the pipeline and where the project lives.</summary>
internal sealed class CommandContext(AppEnvironment environment, Func<Pipeline> define, IServiceProvider? services)
{
    private Pipeline? _pipeline;
    private PipelineGraph? _graph;

    public AppEnvironment Env => environment;

    public IServiceProvider? Services => services;

    /// <summary>Gets the secrets the project's configuration holds, once a command has read it; what the command prints is redacted with them.</summary>
    public SecretRedactor Secrets { get; } = new();

    public TextWriter Out => field ??= new RedactingTextWriter(environment.Out, Secrets);

    public TextWriter Error => field ??= new RedactingTextWriter(environment.Error, Secrets);

    public TimeZoneInfo Zone => environment.Time.LocalTimeZone;

    /// <summary>Gets the pipeline, defining it on first use; a definition error surfaces as <see cref="PipelineDefinitionException"/>.</summary>
    public Pipeline Pipeline => _pipeline ??= define();

    public PipelineGraph Graph => _graph ??= new PipelineGraph(Pipeline);

    public ProjectPaths Paths(string? projectDir)
    {
        string dir = projectDir
            ?? environment.Variables.GetValueOrDefault("SLUICE_PROJECT_DIR")
            ?? environment.WorkingDirectory;
        return new ProjectPaths(Path.IsPathRooted(dir) ? dir : Path.Combine(environment.WorkingDirectory, dir));
    }

    /// <summary>Opens the project's run store for reading, or returns null when no run has happened yet.</summary>
    public static async Task<Sluice.Sqlite.SqliteRunStore?> OpenExistingStoreAsync(ProjectPaths paths)
    {
        if (!File.Exists(paths.Database))
        {
            return null;
        }

        return await StoreFactory.OpenAsync(paths).ConfigureAwait(false);
    }

    /// <summary>Finds a run by full id, unique prefix or <c>last</c>; throws <see cref="UsageException"/> naming what was tried.</summary>
    public static async Task<RunRecord> FindRunAsync(IRunStore? store, string text, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            throw new UsageException($"No run '{text}': this project has no runs yet. Start one with 'run'.");
        }

        if (RunId.TryParse(text, out RunId? exact))
        {
            return await store.GetRunAsync(exact.Value, cancellationToken).ConfigureAwait(false)
                ?? throw new UsageException($"No run '{text}' in this project. List runs with 'runs'.");
        }

        IReadOnlyList<RunRecord> runs = await store.ListRunsAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
        if (text == "last")
        {
            return runs.Count > 0 ? runs[0] : throw new UsageException("No runs yet: 'last' names nothing. Start one with 'run'.");
        }

        var matches = runs.Where(r => r.Id.Value.StartsWith(text, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UsageException($"No run matches '{text}'. Give a run id as 'runs' lists it, a unique prefix, or 'last'."),
            _ => throw new UsageException($"'{text}' matches {matches.Count} runs ({string.Join(", ", matches.Take(3).Select(r => r.Id))}...): give more of the id."),
        };
    }
}

/// <summary>A mistake on the command line: printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Another run holds the project's lock: exit code 3.</summary>
internal sealed class ProjectBusyException(string message) : Exception(message);
