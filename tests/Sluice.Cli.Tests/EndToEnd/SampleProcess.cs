using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Cli.Tests.EndToEnd;

/// <summary>The sample app started as a real process on a project folder, with its output captured.</summary>
internal sealed partial class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    public SampleProcess(string projectRoot, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = projectRoot,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Hello.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => { lock (_out) { _out.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_error) { _error.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_out) { return _out.ToString(); } }
    }

    public string Error
    {
        get { lock (_error) { return _error.ToString(); } }
    }

    public static async Task<(int Exit, string Out, string Error)> RunAsync(string projectRoot, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = new SampleProcess(projectRoot, environment, args);
        int exit = await process.WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output, process.Error);
    }

    /// <summary>Waits for the process to exit; fails the test rather than hang if it does not.</summary>
    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not exit within {limit}.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until standard output matches the regular expression <paramref name="pattern"/>.</summary>
    public async Task WaitForOutputAsync(string pattern, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!System.Text.RegularExpressions.Regex.IsMatch(Output, pattern))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Never saw '{pattern}'.\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until standard error contains <paramref name="text"/>.</summary>
    public async Task WaitForErrorAsync(string text, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!Error.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Never saw '{text}' on stderr.\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            await Task.Delay(20);
        }
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
