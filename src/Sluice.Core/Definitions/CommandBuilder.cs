namespace Sluice.Definitions;

/// <summary>Declares what a command step runs; see <see cref="CommandSpec"/> for the meaning of each part.</summary>
public sealed class CommandBuilder
{
    private readonly List<string> _arguments = [];
    private readonly List<CommandVariable> _environment = [];
    private readonly List<string> _inputs = [];
    private readonly List<string> _outputs = [];
    private readonly List<int> _transient = [];
    private readonly List<Artifact> _artifacts = [];
    private string _program = "";
    private string? _workingDirectory;

    internal CommandBuilder()
    {
    }

    /// <summary>Sets the program and its arguments; each argument reaches the program exactly as given, never through a shell.</summary>
    public CommandBuilder Run(string program, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        _program = program ?? "";
        _arguments.Clear();
        _arguments.AddRange(arguments);
        return this;
    }

    /// <summary>Sets the project-relative folder the program runs in (default: the project folder).</summary>
    public CommandBuilder WorkingDirectory(string relativePath)
    {
        _workingDirectory = relativePath;
        return this;
    }

    /// <summary>Sets an environment variable of the program; its value is part of the step's fingerprint.</summary>
    public CommandBuilder Env(string name, string value)
    {
        _environment.Add(new CommandVariable(name, value ?? ""));
        return this;
    }

    /// <summary>Sets an environment variable holding a secret: the program sees the value, the fingerprint only the name.</summary>
    /// <remarks>Change the step's <c>Version</c> when a new secret should re-run it. The value is masked in everything Sluice writes, the step's log included.</remarks>
    public CommandBuilder SecretEnv(string name, string value)
    {
        _environment.Add(new CommandVariable(name, value ?? "", IsSecret: true));
        return this;
    }

    /// <summary>Sets an environment variable from a secret setting, read from the project's configuration when the run starts (<c>config/secrets.json</c>, user-secrets, <c>SLUICE_Section__Key</c>).</summary>
    /// <remarks>The definition holds only the key, so it can be committed; a run refuses to start while the key is unset. Like <see cref="SecretEnv"/>, only the name enters the fingerprint and the value is masked everywhere.</remarks>
    public CommandBuilder SecretEnvFromSetting(string name, string settingKey)
    {
        _environment.Add(new CommandVariable(name, "", IsSecret: true, Setting: settingKey ?? ""));
        return this;
    }

    /// <summary>Declares project files the command reads: their bytes are in the fingerprint, and a file another step declares as output makes that step run first.</summary>
    public CommandBuilder Inputs(params string[] relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        _inputs.AddRange(relativePaths.Select(ProjectRelativePath.Normalize));
        return this;
    }

    /// <summary>Makes the command depend on other steps' outputs (C# or command steps): an edge, with their content hashes in the fingerprint.</summary>
    public CommandBuilder Inputs(params Artifact[] artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        _artifacts.AddRange(artifacts);
        return this;
    }

    /// <summary>Declares the project files the command must produce; it writes them to <c>{out:N}</c> (or under <c>$SLUICE_OUTPUT_DIR</c>) and Sluice publishes them atomically after success.</summary>
    public CommandBuilder Outputs(params string[] relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        _outputs.AddRange(relativePaths.Select(ProjectRelativePath.Normalize));
        return this;
    }

    /// <summary>Declares exit codes that mean a transient failure, retried by the step's retry policy (for example 75, EX_TEMPFAIL).</summary>
    public CommandBuilder TransientExitCodes(params int[] codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _transient.AddRange(codes);
        return this;
    }

    internal IReadOnlyList<Artifact> Artifacts => _artifacts;

    internal CommandSpec ToSpec() => new(
        _program, [.. _arguments], _workingDirectory is null ? null : ProjectRelativePath.Normalize(_workingDirectory), [.. _environment], [.. _inputs], [.. _outputs], [.. _transient]);
}
