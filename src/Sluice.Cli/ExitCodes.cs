namespace Sluice.Cli;

/// <summary>The process exit codes of every Sluice command; documented in README.md and stable.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked; for <c>run</c>, every selected step succeeded.</summary>
    public const int Success = 0;

    /// <summary>The run finished, and at least one step failed.</summary>
    public const int RunFailed = 1;

    /// <summary>The pipeline definition, its configuration or the command line is invalid; nothing was run or written.</summary>
    public const int DefinitionError = 2;

    /// <summary>Another run holds this project's lock; nothing was run.</summary>
    public const int Busy = 3;

    /// <summary>Sluice itself could not work: the run store, the file system or the lock failed.</summary>
    public const int InfrastructureError = 4;

    /// <summary>The run was cancelled by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
