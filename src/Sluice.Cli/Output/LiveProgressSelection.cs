using Sluice.Cli.Commands;
using Sluice.Cli.Hosting;

namespace Sluice.Cli.Output;

/// <summary>Decides whether <c>run</c> shows the live view or plain line-per-event output.</summary>
/// <remarks>
/// In order, the first rule that applies decides:
/// <list type="number">
/// <item><c>--no-progress</c> or <c>--quiet</c> on the command line: plain.</item>
/// <item>Standard output is not a terminal (a pipe, a file, a CI log): plain. Nothing overrides this: escape codes never go into a file.</item>
/// <item><c>SLUICE_PROGRESS=plain</c>: plain; <c>SLUICE_PROGRESS=live</c>: live, whatever the next three rules say; <c>auto</c> or unset: go on.</item>
/// <item><c>CI</c> set to anything but empty, <c>false</c> or <c>0</c>: plain, so CI logs read line by line even when the runner gives a terminal.</item>
/// <item><c>NO_COLOR</c> set (any value, even empty): plain.</item>
/// <item><c>TERM=dumb</c>: plain (no cursor movement).</item>
/// <item>Otherwise: live.</item>
/// </list>
/// </remarks>
internal static class LiveProgressSelection
{
    /// <summary>The environment variable that overrides the automatic choice: <c>live</c>, <c>plain</c> or <c>auto</c>.</summary>
    public const string Variable = "SLUICE_PROGRESS";

    /// <summary>Returns whether to show the live view, and why in a few words.</summary>
    /// <param name="env">The process's surroundings: terminal and environment variables.</param>
    /// <param name="noProgress">Whether <c>--no-progress</c> was given.</param>
    /// <param name="quiet">Whether <c>--quiet</c> was given.</param>
    /// <exception cref="UsageException"><c>SLUICE_PROGRESS</c> has a value other than <c>live</c>, <c>plain</c> or <c>auto</c>.</exception>
    public static (bool Live, string Why) Choose(AppEnvironment env, bool noProgress, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(env);
        IReadOnlyDictionary<string, string> variables = env.Variables;
        string? setting = variables.GetValueOrDefault(Variable)?.Trim();
        bool? forced = setting?.ToLowerInvariant() switch
        {
            null or "" or "auto" => null,
            "live" => true,
            "plain" => false,
            _ => throw new UsageException($"{Variable} is '{setting}': expected 'live' (the live view on a terminal), 'plain' (a line per event) or 'auto' (live on a terminal unless CI, NO_COLOR or TERM=dumb say otherwise). Fix or unset the variable."),
        };

        if (noProgress)
        {
            return (false, "--no-progress");
        }

        if (quiet)
        {
            return (false, "--quiet");
        }

        if (!env.IsTerminal)
        {
            return (false, "standard output is not a terminal");
        }

        if (forced is { } force)
        {
            return (force, $"{Variable}={setting}");
        }

        if (variables.GetValueOrDefault("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0")
        {
            return (false, $"CI={ci}");
        }

        if (variables.ContainsKey("NO_COLOR"))
        {
            return (false, "NO_COLOR is set");
        }

        if (string.Equals(variables.GetValueOrDefault("TERM"), "dumb", StringComparison.Ordinal))
        {
            return (false, "TERM=dumb");
        }

        return (true, "standard output is a terminal");
    }
}
