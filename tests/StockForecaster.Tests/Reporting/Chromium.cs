using System.Diagnostics;

namespace StockForecaster.Tests.Reporting;

/// <summary>Runs Debian's headless Chromium on a local file with no way out to the network: its proxy is a <see cref="LoopbackSink"/> and its profile a temporary folder.</summary>
internal static class Chromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Returns the path of <c>chromium</c> on PATH, or fails the test saying how to install it.</summary>
    public static string Require()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail(
            "Chromium is not installed, and the HTML report's browser tests need it: install it with "
            + "'apt-get update && apt-get install -y chromium' (Debian), so that 'chromium' is on PATH. "
            + $"On a developer machine you may set {BrowserFactAttribute.SkipVariable}=1 to skip these tests instead.");
        return string.Empty;
    }

    /// <summary>Opens <paramref name="page"/> with the given mode arguments (such as <c>--dump-dom</c>) and returns what the browser printed and which hosts it tried to reach.</summary>
    public static async Task<BrowserRun> RunAsync(string page, params string[] mode)
    {
        string binary = Require();
        using var sink = new LoopbackSink();
        DirectoryInfo profile = Directory.CreateTempSubdirectory("sluice-chromium-profile-");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            $"--user-data-dir={profile.FullName}",

            // Every request goes to the sink, loopback included ("<-loopback>" removes the implicit
            // bypass), so nothing leaves the machine and every attempt is seen.
            $"--proxy-server=http://127.0.0.1:{sink.Port}",
            "--proxy-bypass-list=<-loopback>",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            .. mode,
            new Uri(page).AbsoluteUri,
        ];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
                await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // The launcher is a shell script and Chromium forks helpers: end them all, or a hung
                // browser outlives the test run.
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s and was killed with its child processes. Page: {page}");
            }

            return new BrowserRun(process.ExitCode, await stdout, await stderr, sink.Hosts);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still be closing files; the folder is in the temp directory.
            }
        }
    }
}
