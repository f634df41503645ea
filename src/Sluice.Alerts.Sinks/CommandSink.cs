using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Sluice.Alerts.Sinks;

/// <summary>Starts a program with an argument list (no shell) and writes the alert to its standard input as Sluice's alert JSON; exit code 0 delivers.</summary>
/// <remarks>
/// The program runs in the project folder with <c>SLUICE_ALERT_KIND</c>, <c>SLUICE_ALERT_PIPELINE</c> and
/// <c>SLUICE_ALERT_RUN</c> set. When the attempt is cancelled (its timeout, or the process giving up) the program
/// and every process it started are killed, so a hung notifier leaves nothing behind. A program that cannot be
/// started is a permanent failure; a non-zero exit code is retried.
/// </remarks>
public sealed class CommandSink : IAlertSink
{
    private const int KeptOutputChars = 2000;

    // Output still open after the program exits belongs to a child it left running: read no longer than this.
    private static readonly TimeSpan OutputGrace = TimeSpan.FromMilliseconds(500);

    private readonly string _program;
    private readonly string[] _arguments;
    private readonly string _workingDirectory;

    /// <summary>Creates a command sink from its validated settings; a relative program path with a '/' is resolved against <paramref name="projectDirectory"/>.</summary>
    public CommandSink(string name, AlertSinkSettings settings, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        string command = settings.Command ?? throw new ArgumentException($"Command sink '{name}' has no Command.", nameof(settings));
        _program = command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(command) ? Path.Combine(projectDirectory, command) : command;
        _arguments = [.. settings.Arguments];
        _workingDirectory = projectDirectory;
        Description = $"command {command}";
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        cancellationToken.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(_program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _workingDirectory,
        };
        foreach (string argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLUICE_ALERT_KIND"] = alert.Kind.Name;
        start.Environment["SLUICE_ALERT_PIPELINE"] = alert.Pipeline;
        start.Environment["SLUICE_ALERT_RUN"] = alert.RunId?.Value ?? "";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new AlertDeliveryException($"could not start '{_program}': {e.Message} (not retried: check Command and that the file is executable)", isTransient: false, e);
        }

        Task<string> output = KeepStartAsync(process.StandardOutput);
        Task<string> error = KeepStartAsync(process.StandardError);
        try
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(AlertJson.ToUtf8(alert), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.BaseStream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited or closed its input without reading it all; its exit code still decides.
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            throw;
        }

        if (process.ExitCode == 0)
        {
            return;
        }

        string said = await FirstWordsAsync(error).ConfigureAwait(false);
        if (said.Length == 0)
        {
            said = await FirstWordsAsync(output).ConfigureAwait(false);
        }

        throw new AlertDeliveryException($"'{Path.GetFileName(_program)}' exited with code {process.ExitCode}{(said.Length > 0 ? ": " + said : "")}");
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static async Task<string> KeepStartAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        char[] buffer = new char[1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (kept.Length < KeptOutputChars)
                {
                    kept.Append(buffer, 0, Math.Min(read, KeptOutputChars - kept.Length));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }

        return kept.ToString();
    }

    private static async Task<string> FirstWordsAsync(Task<string> output)
    {
        try
        {
            string text = await output.WaitAsync(OutputGrace).ConfigureAwait(false);
            string line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            return line.Length <= 200 ? line : line[..197] + "...";
        }
        catch (TimeoutException)
        {
            return "";
        }
    }
}
