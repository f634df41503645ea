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
        if (e.Kind == RunEventKind.StepFailed)
        {
            line += MoreLines(e.ErrorMessage, new string(' ', clock.Length + nameWidth + 16));
        }

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

    // A data-validation failure lists its problems on the lines after the first: show them where the
    // failure is reported, so a person need not open the log to learn which file, line or date is wrong.
    private static string MoreLines(string? message, string indent)
    {
        const int Shown = 12;
        string[] lines = (message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length <= 1)
        {
            return "";
        }

        var more = new System.Text.StringBuilder();
        foreach (string line in lines.Skip(1).Take(Shown))
        {
            more.Append('\n').Append(indent).Append(Formats.OneLine(line, 200));
        }

        if (lines.Length - 1 > Shown)
        {
            more.Append('\n').Append(indent).Append($"... and {lines.Length - 1 - Shown} more lines in the step's log");
        }

        return more.ToString();
    }

    private static string ShortType(string? type) => type is null ? "error" : type[(type.LastIndexOf('.') + 1)..];
}
