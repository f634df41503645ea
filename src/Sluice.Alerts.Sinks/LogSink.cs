using System.Text;

namespace Sluice.Alerts.Sinks;

/// <summary>Appends each alert to a JSON-lines file (by default the run's <c>logs/&lt;run&gt;/alerts.jsonl</c>) and prints it as one line on the console.</summary>
/// <remarks>
/// Each line is one whole append with the file opened for sharing, so concurrent writers (two sinks, two processes)
/// never interleave within a line. With <c>Path</c> set to <c>logs/alerts.jsonl</c> it replaces the forecaster's own alert log.
/// </remarks>
public sealed class LogSink : IAlertSink
{
    /// <summary>The default file, relative to the project; <c>{run}</c> stands for the run id.</summary>
    public const string DefaultPath = "logs/{run}/alerts.jsonl";

    /// <summary>Where alerts of no run go when the path names the run.</summary>
    public const string NoRunPath = "logs/alerts.jsonl";

    private static readonly Lock Gate = new();

    private readonly string _projectDirectory;
    private readonly string _path;
    private readonly TextWriter? _console;

    /// <summary>Creates a log sink from its validated settings, printing to <paramref name="console"/> when given.</summary>
    public LogSink(string name, AlertSinkSettings settings, string projectDirectory, TextWriter? console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        _projectDirectory = projectDirectory;
        _path = settings.Path ?? DefaultPath;
        _console = console;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description => $"log {_path}";

    /// <summary>Returns the file an alert is appended to, relative to the project.</summary>
    public string PathFor(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.RunId is { } run ? _path.Replace("{run}", run.Value, StringComparison.Ordinal)
            : _path.Contains("{run}", StringComparison.Ordinal) ? NoRunPath
            : _path;
    }

    /// <inheritdoc/>
    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_projectDirectory, PathFor(alert));
        byte[] line = [.. AlertJson.ToUtf8(alert), (byte)'\n'];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Task.Run(
            () =>
            {
                lock (Gate)
                {
                    using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                    stream.Write(line);
                    stream.Flush(flushToDisk: true);
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (_console is { } console)
        {
            string text = Console(alert);
            lock (console)
            {
                console.Write(text);
                console.Flush();
            }
        }
    }

    /// <summary>Returns the console line of an alert, with its line break.</summary>
    internal static string Console(Alert alert)
    {
        string message = alert.Message.ReplaceLineEndings(" ");
        var line = new StringBuilder("alert ").Append(alert.Kind).Append(": ").Append(alert.Title);
        if (message.Length > 0)
        {
            line.Append(" - ").Append(message.Length <= 300 ? message : message[..297] + "...");
        }

        return line.Append('\n').ToString();
    }
}
