using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Output;
using Sluice.State;
using Spectre.Console.Testing;

namespace Sluice.Cli.Tests.Output;

/// <summary>The live view as an observer: its refresh loop on a fake clock, failures kept in the scrollback, the summary in place of the frame, Ctrl-C.</summary>
public sealed class LiveProgressTests : IAsyncLifetime, IDisposable
{
    private const string CursorUp = "\u001b[1A";
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero));
    private readonly TestConsole _console = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly LiveRunEvents _events;
    private LiveProgress? _live;

    public LiveProgressTests()
    {
        _console.Width(100).EmitAnsiSequences();
        _events = new LiveRunEvents(_time);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_live is not null)
        {
            await _live.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _cancel.Dispose();
        _console.Dispose();
    }

    private LiveProgress Start(int maxRows = 12)
    {
        _live = LiveProgress.Start(_console, LiveRunEvents.Plan(LiveRunEvents.Small()), _time, TimeZoneInfo.Utc, _cancel.Token, TimeSpan.FromMilliseconds(100), maxRows);
        return _live;
    }

    private int Frames => Count(_console.Output, "/4 steps  ");

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Waits (in real time, briefly) for the loop, which runs on the thread pool, to draw what the fake clock allowed.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("Never happened: " + what);
            }

            await Task.Delay(5);
        }
    }

    private async Task AdvanceAndWaitForFrame()
    {
        int before = Frames;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Until(() => Frames > before, "a frame after the refresh interval");
    }

    [Fact]
    public async Task Loop_DrawsOncePerRefreshInterval_NotOncePerEvent()
    {
        LiveProgress live = Start();
        await Until(() => Frames == 1, "the first frame");

        live.OnEvent(_events.RunStarted());
        for (int i = 0; i < 1_000; i++)
        {
            live.OnEvent(_events.Started("fetch", 1));
            live.OnEvent(_events.Retrying("fetch", 1, "attempt 1 of 3 failed; next in 0 ms", "System.Exception", "again"));
        }

        await Task.Delay(200); // real time passes, the fake clock does not: no frame is due
        Assert.Equal(1, Frames);

        await AdvanceAndWaitForFrame();
        await AdvanceAndWaitForFrame();
        Assert.Equal(3, Frames);
        Assert.Contains("retrying", LiveProgressViewTests.Plain(_console.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_RedrawsInPlace_ErasingThePreviousFrameLineByLine()
    {
        LiveProgress live = Start();
        live.OnEvent(_events.RunStarted());
        await Until(() => Frames == 1, "the first frame");
        int height = live.Region.Height;
        int ups = Count(_console.Output, CursorUp);

        await AdvanceAndWaitForFrame();

        Assert.Equal(7, height); // progress line, headings, four steps, counts; the cursor waits on the line below
        Assert.Equal(height, Count(_console.Output, CursorUp) - ups);
        Assert.StartsWith(HideCursor, _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ElapsedTime_TicksBetweenFrames_WithTheClock()
    {
        LiveProgress live = Start();
        live.OnEvent(_events.RunStarted());
        live.OnEvent(_events.Started("fetch", 1));
        await Until(() => Frames == 1, "the first frame");
        _time.Advance(TimeSpan.FromMilliseconds(1_400));
        await AdvanceAndWaitForFrame();

        string lastFrame = LiveProgressViewTests.Plain(_console.Output[_console.Output.LastIndexOf("run ", StringComparison.Ordinal)..]);
        Assert.Matches(@"running +fetch +1/3 +1\.5 s", lastFrame);
        Assert.Contains("0/4 steps    0%  1.5 s", lastFrame, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_IsPrintedOnceAboveTheFrame_InThePlainOutputsWords_AndStaysAfterTheSummary()
    {
        LiveProgress live = Start();
        live.OnEvent(_events.RunStarted());
        live.OnEvent(_events.Started("clean", 1));
        live.OnEvent(_events.Failed("clean", 1, TimeSpan.FromMilliseconds(30), "Sluice.DataValidationException", "2 problems in data/x.csv:\nline 3: price is empty\nline 9: date 2026-02-30 is not a date", "data validation failed (never retried)"));
        await Until(() => Frames >= 1, "the first frame");
        await AdvanceAndWaitForFrame();
        live.OnEvent(_events.RunEnded(RunEventKind.RunFailed, TimeSpan.FromSeconds(1), "step 'clean' failed"));
        await live.CompleteAsync();

        string screen = LiveProgressViewTests.Plain(_console.Output);
        const string Failure = "10:15:00   clean   FAILED     DataValidationException: 2 problems in data/x.csv: ... (data validation failed (never retried))";
        Assert.Equal(1, Count(screen, Failure));
        Assert.Contains("line 3: price is empty", screen, StringComparison.Ordinal);
        Assert.Contains("line 9: date 2026-02-30 is not a date", screen, StringComparison.Ordinal);
        Assert.True(screen.IndexOf(Failure, StringComparison.Ordinal) < screen.LastIndexOf("run ", StringComparison.Ordinal), "the failure is printed before the frame is drawn below it");
    }

    [Fact]
    public async Task Complete_ReplacesTheFrameWithTheSummary_AndShowsTheCursor()
    {
        LiveProgress live = Start();
        live.OnEvent(_events.RunStarted());
        foreach (string step in new[] { "fetch", "clean", "report", "extra" })
        {
            live.OnEvent(_events.Started(step, 1));
            live.OnEvent(_events.Succeeded(step, 1, TimeSpan.FromMilliseconds(12)));
        }

        await Until(() => Frames >= 1, "the first frame");
        live.OnEvent(_events.RunEnded(RunEventKind.RunSucceeded, TimeSpan.FromSeconds(1), "4 steps succeeded"));
        int height = live.Region.Height;
        int framesBefore = Frames;

        await live.CompleteAsync();
        await live.CompleteAsync(); // idempotent: nothing drawn twice

        string output = _console.Output;
        string ending = output[output.LastIndexOf("\r\u001b[2K", StringComparison.Ordinal)..];
        Assert.Equal(height, Count(ending, CursorUp)); // the whole frame is erased before the summary
        Assert.EndsWith(ShowCursor, output, StringComparison.Ordinal);
        Assert.Equal(framesBefore, Frames); // the summary is not another frame
        string[] summary = LiveProgressViewTests.Plain(ending).Trim('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(7, summary.Length);
        Assert.Matches(@"^succeeded +fetch +1/3 +12 ms$", summary[1]);
        Assert.Equal("4/4 steps: 4 succeeded", summary[5]);
        Assert.Equal($"10:15:00 run {_events.Run} succeeded in 1.0 s: 4 steps succeeded", summary[6]);
        Assert.Equal(0, live.Region.Height);
    }

    [Fact]
    public async Task Complete_WithoutARunEnd_ErasesTheFrameAndShowsTheCursor_WithoutASummary()
    {
        LiveProgress live = Start();
        await Until(() => Frames == 1, "the first frame");

        await live.CompleteAsync();

        string ending = _console.Output[_console.Output.LastIndexOf("\r\u001b[2K", StringComparison.Ordinal)..];
        Assert.Equal(ShowCursor, ending.Replace("\r\u001b[2K", "", StringComparison.Ordinal).Replace(CursorUp + "\u001b[2K", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_LeavesTheFrameStanding_ShowsTheCursor_AndDrawsTheNextFrameBelow()
    {
        LiveProgress live = Start();
        live.OnEvent(_events.RunStarted());
        live.OnEvent(_events.Started("fetch", 1));
        await Until(() => Frames == 1, "the first frame");

        // As PipelineApp does on Ctrl-C: a notice (on the same terminal), then the run's token is cancelled.
        _console.Write(new Spectre.Console.Text("SIGINT received: cancelling the run\n"));
        int mark = _console.Output.Length;
        await _cancel.CancelAsync();
        await AdvanceAndWaitForFrame();

        string after = _console.Output[mark..];
        Assert.StartsWith(ShowCursor, after, StringComparison.Ordinal);
        string nextFrame = after[..after.IndexOf("run ", StringComparison.Ordinal)];
        Assert.DoesNotContain(CursorUp, nextFrame, StringComparison.Ordinal); // nothing above the notice is erased
        Assert.DoesNotContain(HideCursor, after, StringComparison.Ordinal); // a second Ctrl-C kills the process: the cursor must be visible by then

        live.OnEvent(_events.Cancelled("fetch", "run cancelled"));
        live.OnEvent(_events.RunEnded(RunEventKind.RunCancelled, TimeSpan.FromSeconds(1), "cancelled on request"));
        await live.CompleteAsync();
        Assert.Contains($"run {_events.Run} cancelled after 1.0 s", LiveProgressViewTests.Plain(_console.Output), StringComparison.Ordinal);
        Assert.Contains("SIGINT received: cancelling the run", LiveProgressViewTests.Plain(_console.Output), StringComparison.Ordinal);
    }
}
