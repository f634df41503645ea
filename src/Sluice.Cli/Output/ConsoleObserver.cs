using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Cli.Output;

/// <summary>Prints a run's step boundaries on the console, one readable line per event.</summary>
internal sealed class ConsoleObserver(TextWriter output, TimeZoneInfo zone, int nameWidth, bool quiet) : IRunObserver
{
    private readonly Lock _gate = new();

    public void OnEvent(RunEvent e)
    {
        if (quiet && e.Kind is not (RunEventKind.RunSucceeded or RunEventKind.RunFailed or RunEventKind.RunCancelled or RunEventKind.StepFailed))
        {
            return;
        }

        string clock = Formats.Clock(e.At, zone);
        string line = e.Kind switch
        {
            RunEventKind.RunStarted => $"{clock} run {e.RunId} started: {e.Reason}",
            RunEventKind.RunSucceeded => $"{clock} run {e.RunId} succeeded in {Formats.Duration(e.Duration ?? TimeSpan.Zero)}: {e.Reason}",
            RunEventKind.RunFailed => $"{clock} run {e.RunId} FAILED in {Formats.Duration(e.Duration ?? TimeSpan.Zero)}: {e.Reason}",
            RunEventKind.RunCancelled => $"{clock} run {e.RunId} cancelled after {Formats.Duration(e.Duration ?? TimeSpan.Zero)}",
            _ => $"{clock}   {(e.Step ?? "").PadRight(nameWidth)}  {StepText(e)}",
        };
        lock (_gate)
        {
            output.Write(line + "\n");
            if (e.Kind is RunEventKind.RunSucceeded or RunEventKind.RunFailed or RunEventKind.RunCancelled)
            {
                output.Flush();
            }
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) => NullLogger.Instance;

    private static string StepText(RunEvent e) => e.Kind switch
    {
        RunEventKind.StepStarted => e.Attempt > 1 ? $"started    attempt {e.Attempt}" : "started",
        RunEventKind.StepSucceeded => $"succeeded  {Formats.Duration(e.Duration ?? TimeSpan.Zero)}{(e.Attempt > 1 ? $" (attempt {e.Attempt})" : "")}",
        RunEventKind.StepRetrying => $"retrying   {e.Reason}: {ShortType(e.ErrorType)}: {Formats.OneLine(e.ErrorMessage)}",
        RunEventKind.StepFailed => $"FAILED     {ShortType(e.ErrorType)}: {Formats.OneLine(e.ErrorMessage)} ({e.Reason})",
        RunEventKind.StepSkipped when e.Reason?.StartsWith("reused: ", StringComparison.Ordinal) == true => $"reused     {e.Reason["reused: ".Length..]}",
        RunEventKind.StepSkipped => $"skipped    {e.Reason}",
        RunEventKind.StepUpstreamFailed => $"not run    {e.Reason}",
        RunEventKind.StepCancelled => $"cancelled  {e.Reason}",
        _ => e.Kind.ToText(),
    };

    private static string ShortType(string? type) => type is null ? "error" : type[(type.LastIndexOf('.') + 1)..];
}
