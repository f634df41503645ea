using Microsoft.Extensions.Time.Testing;
using Sluice.Cli;
using Sluice.Cli.Hosting;

namespace StockForecaster.Tests.EndToEnd;

/// <summary>A throwaway copy of the forecaster's project folder (config and bundled data), run in-process on a fake clock against real stores.</summary>
internal sealed class ForecasterProject : IDisposable
{
    public ForecasterProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "sluice-forecaster-" + Guid.NewGuid().ToString("N")[..12]);
        string sample = Path.Combine(AppContext.BaseDirectory, "forecaster");
        foreach (string file in Directory.GetFiles(sample, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(Root, Path.GetRelativePath(sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 22, 30, 0, TimeSpan.Zero));

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string PathTo(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        string path = PathTo(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relative) => File.ReadAllText(PathTo(relative));

    public async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new AppEnvironment
        {
            Out = output,
            Error = error,
            Time = Time,
            WorkingDirectory = Root,
            Variables = Variables,
            IsTerminal = false,
            ProcessorCount = 2,
            ProcessId = 4242,
            HostName = "test-host",
            Random = new Random(7),
        };
        int exit = await PipelineApp.RunAsync(args, ForecasterPipeline.Create, null, env, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(1));
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held for a moment; the OS cleans the temp folder.
        }
    }
}
