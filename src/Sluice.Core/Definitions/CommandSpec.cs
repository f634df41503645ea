namespace Sluice.Definitions;

/// <summary>What a command step runs, as plain data: program, arguments, working folder, environment, input and output files, transient exit codes.</summary>
/// <remarks>
/// Every field maps 1:1 onto a key of a YAML step, so a pipeline file and the C# API describe the same thing.
/// Arguments go to the program as they are, never through a shell. In arguments and environment values,
/// <c>{in:N}</c> and <c>{out:N}</c> stand for the absolute path of the N-th declared input and output (from 0);
/// an output's path is inside the attempt's staging folder, published only after the command succeeds.
/// </remarks>
/// <param name="Program">The program to run: a name looked up on <c>PATH</c>, or a path relative to the working folder.</param>
/// <param name="Arguments">The arguments, each passed byte-exact as one argument.</param>
/// <param name="WorkingDirectory">The project-relative folder the program runs in, or null for the project folder.</param>
/// <param name="Environment">The declared environment variables, set over the inherited environment.</param>
/// <param name="Inputs">The project-relative files the command reads; their bytes are part of the step's fingerprint.</param>
/// <param name="Outputs">The project-relative files the command must produce; published atomically after success.</param>
/// <param name="TransientExitCodes">The exit codes that mean "try again" (for example 75, EX_TEMPFAIL); the step's retry policy decides how often.</param>
public sealed record CommandSpec(
    string Program,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyList<CommandVariable> Environment,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<int> TransientExitCodes)
{
    /// <summary>Returns the program and its arguments as one readable line, for messages (not for a shell).</summary>
    public override string ToString() => string.Join(' ', Arguments.Prepend(Program));
}

/// <summary>One declared environment variable of a command step.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">The value the program sees.</param>
/// <param name="IsSecret">Whether the value is secret: then only the name enters the fingerprint, never the value.</param>
/// <param name="Setting">The configuration key the value is read from when the run starts (a secret kept in <c>config/secrets.json</c>, user-secrets or a <c>SLUICE_</c> variable), or null when <paramref name="Value"/> is the value.</param>
public sealed record CommandVariable(string Name, string Value, bool IsSecret = false, string? Setting = null);
