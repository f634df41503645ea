using System.Diagnostics;
using System.Text;

namespace Sluice.Cli.Tests.Output;

/// <summary>The sample app run as a real process on a pseudo-terminal (util-linux <c>script</c>): the live view as a person sees it, and Ctrl-C.</summary>
[Collection("processes")]
public sealed class LiveProgressTerminalTests : IDisposable
{
    private const string CursorUp = "\u001b[1A";
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";

    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_OnATerminal_RedrawsTheLiveViewInPlace_ThenLeavesTheSummary_AndExitsZero()
    {
        using var terminal = new Terminal(_project.Root, "00:00:00.3", "run");

        int exit = await terminal.WaitAsync(TimeSpan.FromSeconds(90));

        string output = terminal.Output;
        Assert.True(exit == ExitCodes.Success, output);
        Assert.Contains(CursorUp + "\u001b[2K", output, StringComparison.Ordinal); // redrawn in place, line by line
        Assert.True(CountOf(output, "/5 steps  ") >= 5, "a 1.5 s run at 10 Hz draws several frames:\n" + output);
        Assert.Matches(@"running +load +1/3 +\d", LiveProgressViewTests.Plain(output));
        string screen = LiveProgressViewTests.Plain(output);
        Assert.Contains("5/5 steps: 5 succeeded", screen, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d run \S+ succeeded in [\d.]+ s: 5 steps succeeded", screen);
        Assert.True(output.LastIndexOf(ShowCursor, StringComparison.Ordinal) > output.LastIndexOf(HideCursor, StringComparison.Ordinal), "the cursor is shown again at the end");
        Assert.DoesNotMatch(@"load +started", screen); // not the plain lines
    }

    [Fact]
    public async Task CtrlC_OnATerminal_CancelsTheRun_KeepsTheNoticeReadable_AndLeavesTheCursorShown()
    {
        using var terminal = new Terminal(_project.Root, "00:00:30", "run", "-j", "1");
        await terminal.WaitForAsync("running", TimeSpan.FromSeconds(60));

        terminal.Type("\u0003"); // Ctrl-C: the terminal sends SIGINT to the app, as for a person at the keyboard
        int exit = await terminal.WaitAsync(TimeSpan.FromSeconds(60));

        string output = terminal.Output;
        Assert.True(exit == ExitCodes.Cancelled, output);
        int notice = output.IndexOf("SIGINT received", StringComparison.Ordinal);
        Assert.True(notice > 0, output);

        // The frame above the notice stays; the next frame is drawn below it without moving the cursor up.
        int nextFrame = output.IndexOf("run 2", notice, StringComparison.Ordinal);
        Assert.True(nextFrame < 0 || !output[notice..nextFrame].Contains(CursorUp, StringComparison.Ordinal), output);
        Assert.True(output.LastIndexOf(ShowCursor, StringComparison.Ordinal) > output.LastIndexOf(HideCursor, StringComparison.Ordinal), "the cursor is shown again");
        string screen = LiveProgressViewTests.Plain(output);
        Assert.Contains("5/5 steps: 5 cancelled", screen, StringComparison.Ordinal);
        Assert.Matches(@"run \S+ cancelled after", screen);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The sample app under <c>script</c>, which gives it a pseudo-terminal of 120 x 40 and copies what it draws to our pipe.</summary>
    private sealed class Terminal : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Task _reading;

        public Terminal(string projectRoot, string stepDelay, params string[] args)
        {
            string app = Path.Combine(AppContext.BaseDirectory, "Hello.dll");
            string command = "stty cols 120 rows 40; exec dotnet exec " + Quote(app) + string.Concat(args.Select(a => " " + Quote(a)));
            var start = new ProcessStartInfo("script")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = projectRoot,
            };
            foreach (string arg in new[] { "-q", "-f", "-e", "-c", command, "/dev/null" })
            {
                start.ArgumentList.Add(arg);
            }

            // A person's terminal: whatever the test runner's environment says (CI sets CI=true) must not turn the view off.
            foreach (string hint in new[] { "CI", "NO_COLOR", "SLUICE_PROGRESS" })
            {
                start.Environment.Remove(hint);
            }

            start.Environment["TERM"] = "xterm-256color";
            start.Environment["SLUICE_Hello__StepDelay"] = stepDelay;
            _process = Process.Start(start) ?? throw new InvalidOperationException("script (util-linux) did not start; .ci/run expects it on the machine");
            _reading = Task.Run(ReadAsync);
        }

        public string Output
        {
            get { lock (_output) { return _output.ToString(); } }
        }

        public void Type(string keys)
        {
            _process.StandardInput.Write(keys);
            _process.StandardInput.Flush();
        }

        public async Task WaitForAsync(string text, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (!LiveProgressViewTests.Plain(Output).Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited || clock.Elapsed > limit)
                {
                    throw new TimeoutException($"Never saw '{text}'.\n{Output}\nstderr: {await _process.StandardError.ReadToEndAsync()}");
                }

                await Task.Delay(20);
            }
        }

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
                throw new TimeoutException($"The sample did not exit within {limit}.\n{Output}");
            }

            await _reading;
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

        private async Task ReadAsync()
        {
            var buffer = new char[4096];
            int read;
            while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_output)
                {
                    _output.Append(buffer, 0, read);
                }
            }
        }
    }
}
