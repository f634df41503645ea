using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Output;
using Sluice.State;
using Spectre.Console.Rendering;
using Spectre.Console.Testing;

namespace Sluice.Cli.Tests.Output;

/// <summary>The live frame and the final summary drawn on a Spectre test console with ANSI on: rows, columns and words.</summary>
public sealed partial class LiveProgressViewTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero));
    private readonly LiveRunEvents _events;

    public LiveProgressViewTests()
    {
        _events = new LiveRunEvents(_time);
    }

    /// <summary>Draws <paramref name="renderable"/> and returns its lines as a person sees them, and the raw output.</summary>
    internal static (string[] Lines, string Raw) Draw(IRenderable renderable, int width)
    {
        var console = new TestConsole().Width(width).EmitAnsiSequences();
        console.Write(renderable);
        string raw = console.Output;
        return (Plain(raw).TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray(), raw);
    }

    /// <summary>Removes ANSI escape sequences: what remains is the text on screen.</summary>
    internal static string Plain(string ansi) => Escapes().Replace(ansi, "").Replace("\r", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Escapes();

    private LiveProgressSnapshot MidRun()
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Small()), _time, maxRows: 12);
        state.Record(_events.RunStarted());
        state.Record(_events.Started("fetch", 1));
        _time.Advance(TimeSpan.FromSeconds(1));
        state.Record(_events.Retrying("fetch", 1, "attempt 1 of 3 failed; next in 1 s", "System.TimeoutException", "source did not answer"));
        state.Record(_events.Started("extra", 1));
        _time.Advance(TimeSpan.FromMilliseconds(250));
        state.Record(_events.Succeeded("extra", 1, TimeSpan.FromMilliseconds(250)));
        _time.Advance(TimeSpan.FromSeconds(1));
        return state.Snapshot();
    }

    [Fact]
    public void Frame_SmallRun_DrawsProgressLineStepRowsInColumnsAndCounts()
    {
        (string[] lines, string raw) = Draw(LiveProgressView.Frame(MidRun(), unicode: true, width: 120), 120);

        Assert.Contains("\u001b[", raw); // coloured: the states are told apart at a glance
        Assert.Equal(7, lines.Length);
        Assert.Matches($@"^run {_events.Run}  ━{{30}}  1/4 steps   25%  2\.3 s$", lines[0]);
        Assert.Matches(@"^state +step +attempt +elapsed$", lines[1]);
        Assert.Matches(@"^retrying +fetch +1/3 +2\.3 s  attempt 1 of 3 failed; next in 1 s: TimeoutException: source did not answer$", lines[2]);
        Assert.Matches(@"^waiting +clean$", lines[3]);
        Assert.Matches(@"^waiting +report$", lines[4]);
        Assert.Matches(@"^succeeded +extra +1 +250 ms$", lines[5]);
        Assert.Equal("1 retrying, 1 succeeded, 2 waiting", lines[6]);

        // Columns line up: every row's step, attempt and elapsed start where their headings do.
        int step = lines[1].IndexOf("step", StringComparison.Ordinal);
        int attempt = lines[1].IndexOf("attempt", StringComparison.Ordinal);
        int elapsedEnd = lines[1].IndexOf("elapsed", StringComparison.Ordinal) + "elapsed".Length;
        Assert.Equal(step, lines[2].IndexOf("fetch", StringComparison.Ordinal));
        Assert.Equal(step, lines[5].IndexOf("extra", StringComparison.Ordinal));
        Assert.Equal(attempt, lines[2].IndexOf("1/3", StringComparison.Ordinal));
        Assert.Equal(elapsedEnd, lines[5].IndexOf("250 ms", StringComparison.Ordinal) + "250 ms".Length);
    }

    [Fact]
    public void Frame_WithoutUnicode_DrawsTheBarInAscii()
    {
        (string[] lines, _) = Draw(LiveProgressView.Frame(MidRun(), unicode: false, width: 100), 100);

        Assert.Matches(@"  #{7}-{23}  1/4 steps", lines[0]);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(60)]
    public void Frame_LongNotes_AreCutSoEveryRowStaysOneLine(int width)
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Small()), _time, maxRows: 12);
        state.Record(_events.RunStarted());
        state.Record(_events.Started("clean", 1));
        state.Record(_events.Failed("clean", 1, TimeSpan.FromSeconds(1), "Sluice.DataValidationException", "3 problems in data/prices.csv: " + new string('x', 300), "data validation failed (never retried)"));

        (string[] lines, _) = Draw(LiveProgressView.Frame(state.Snapshot(), unicode: true, width), width);

        // One line per step: the header, the column headings, four rows, the counts.
        Assert.Equal(7, lines.Length);
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Matches(@"^failed +clean +1 +1\.0 s  DataValidation[^\n]*\.\.\.$", lines[3]);
    }

    [Fact]
    public void Frame_NarrowTerminal_ShortensThenDropsTheBar_SoTheProgressLineStaysOneLine()
    {
        LiveProgressSnapshot s = MidRun();

        (string[] medium, _) = Draw(LiveProgressView.Frame(s, unicode: true, width: 60), 60);
        (string[] narrow, _) = Draw(LiveProgressView.Frame(s, unicode: true, width: 48), 48);

        Assert.Matches($@"^run {_events.Run}  ━{{8}}  1/4 steps   25%  2\.3 s$", medium[0]);
        Assert.Matches($@"^run {_events.Run}  1/4 steps   25%  2\.3 s$", narrow[0]);
    }

    [Fact]
    public void Frame_LargeRun_SaysHowManyStepsAreShown()
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Wide(10_000)), _time, maxRows: 4);
        state.Record(_events.RunStarted());
        for (int i = 0; i < 3; i++)
        {
            state.Record(_events.Started(LiveRunEvents.WideName(i), 1));
        }

        (string[] lines, _) = Draw(LiveProgressView.Frame(state.Snapshot(), unicode: true, width: 120), 120);

        Assert.Equal(6, lines.Length);
        Assert.Matches(@"  0/10,000 steps    0%  0 ms$", lines[0]);
        Assert.Equal("3 running, 9,997 waiting  (showing 3 of 10,000 steps)", lines[^1]);
    }

    [Fact]
    public void Summary_SmallRun_ListsEveryStepWithAttemptAndTime_ThenCountsAndTheResultLine()
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Small()), _time, maxRows: 12);
        state.Record(_events.RunStarted());
        state.Record(_events.Skipped("fetch", "reused: checkpoint 5d1f0c2a"));
        state.Record(_events.Started("clean", 1));
        state.Record(_events.Failed("clean", 1, TimeSpan.FromMilliseconds(40), "System.InvalidOperationException", "boom", "no retries configured"));
        state.Record(_events.UpstreamFailed("report", "upstream step 'clean' failed"));
        state.Record(_events.Started("extra", 1));
        state.Record(_events.Succeeded("extra", 1, TimeSpan.FromSeconds(2)));
        state.Record(_events.RunEnded(RunEventKind.RunFailed, TimeSpan.FromSeconds(2), "step 'clean' failed"));

        (string[] lines, _) = Draw(LiveProgressView.Summary(state.Snapshot(), [], 0, "10:15:02 run X FAILED in 2.0 s: step 'clean' failed", 100), 100);

        Assert.Equal(
            [
                "state      step    attempt   time",
                "reused     fetch                   checkpoint 5d1f0c2a",
                "failed     clean   1        40 ms  InvalidOperationException: boom",
                "not run    report                  upstream step 'clean' failed",
                "succeeded  extra   1        2.0 s",
                "4/4 steps: 1 succeeded, 1 reused, 1 failed, 1 not run",
                "10:15:02 run X FAILED in 2.0 s: step 'clean' failed",
            ],
            lines);
    }

    [Fact]
    public void Summary_LargeRun_ListsOnlyTheFailedSteps_AndHowManyMore()
    {
        var state = new LiveProgressState(LiveRunEvents.Plan(LiveRunEvents.Wide(50)), _time, maxRows: 5);
        state.Record(_events.RunStarted());
        for (int i = 0; i < 50; i++)
        {
            string step = LiveRunEvents.WideName(i);
            state.Record(_events.Started(step, 1));
            state.Record(i % 10 == 0
                ? _events.Failed(step, 1, TimeSpan.FromMilliseconds(5), "System.IO.IOException", $"disk full on {step}", "no retries configured")
                : _events.Succeeded(step, 1, TimeSpan.FromMilliseconds(5)));
        }

        state.Record(_events.RunEnded(RunEventKind.RunFailed, TimeSpan.FromSeconds(1), "5 steps failed, first 's00000'"));
        LiveProgressSnapshot last = state.Snapshot();

        (string[] lines, _) = Draw(LiveProgressView.Summary(last, state.FailedRows(3), 2, "result", 100), 100);

        Assert.Equal(7, lines.Length);
        Assert.Matches(@"^failed +s00000 +1 +5 ms  IOException: disk full on s00000$", lines[1]);
        Assert.Matches(@"^failed +s00020 ", lines[3]);
        Assert.Equal($"... and 2 more failed steps: see 'show {_events.Run}'", lines[4]);
        Assert.Equal("50/50 steps: 45 succeeded, 5 failed", lines[5]);
        Assert.Equal("result", lines[6]);
    }
}
