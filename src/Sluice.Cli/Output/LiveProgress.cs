using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Execution;
using Sluice.Planning;
using Sluice.State;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sluice.Cli.Output;

/// <summary>The terminal's live view of a run: each step's state, attempt and elapsed time, and the overall progress, redrawn in place; replaced at the end by a stable summary.</summary>
/// <remarks>
/// Events only update <see cref="LiveProgressState"/> under its lock; a background loop draws at most every
/// <c>refreshInterval</c> (10 Hz by default), so the cost of drawing does not grow with the number of events.
/// Failures are printed above the live area as they happen, in the plain output's words, so they stay in the scrollback.
/// </remarks>
internal sealed class LiveProgress : IRunObserver, IAsyncDisposable
{
    /// <summary>The default time between frames.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMilliseconds(100);

    private const int MaxFailedInSummary = 20;

    private readonly IAnsiConsole _console;
    private readonly LiveProgressState _state;
    private readonly LiveProgressRegion _region;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeZoneInfo _zone;
    private readonly int _nameWidth;
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenRegistration _onCancel;
    private Task _loop = Task.CompletedTask;
    private Task? _completion;

    private LiveProgress(IAnsiConsole console, ExecutionPlan plan, TimeProvider time, TimeZoneInfo zone, TimeSpan refreshInterval, int maxRows)
    {
        _console = console;
        _region = new LiveProgressRegion(console);
        _time = time;
        _zone = zone;
        _refreshInterval = refreshInterval;
        _state = new LiveProgressState(plan, time, maxRows);
        _nameWidth = Math.Max(4, plan.Steps.Where(s => s.Decision != StepDecision.Skip).Select(s => s.Step.Name.Length).DefaultIfEmpty(4).Max());
    }

    /// <summary>Gets the live area on screen, for tests.</summary>
    internal LiveProgressRegion Region => _region;

    /// <summary>Starts the live view of a run of <paramref name="plan"/> on <paramref name="console"/>; stop it with <see cref="CompleteAsync"/>.</summary>
    /// <param name="console">Where to draw; a terminal (ANSI cursor movement is required).</param>
    /// <param name="plan">The plan to be run.</param>
    /// <param name="time">The clock of elapsed times and of the refresh loop.</param>
    /// <param name="zone">The time zone of the result line's clock.</param>
    /// <param name="runCancelled">The run's cancellation (Ctrl-C): the frame on screen is then left standing, with the notice printed below it.</param>
    /// <param name="refreshInterval">The time between frames; default <see cref="DefaultRefreshInterval"/>.</param>
    /// <param name="maxRows">How many step rows the live area shows at most; by default what fits the terminal, 5 to 20.</param>
    public static LiveProgress Start(IAnsiConsole console, ExecutionPlan plan, TimeProvider time, TimeZoneInfo zone, CancellationToken runCancelled, TimeSpan? refreshInterval = null, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        int rows = maxRows ?? Math.Clamp(console.Profile.Height - 6, 5, 20);
        var live = new LiveProgress(console, plan, time, zone, refreshInterval ?? DefaultRefreshInterval, rows);
        live._onCancel = runCancelled.Register(live._region.Abandon);
        live._loop = Task.Run(live.DrawLoopAsync);
        return live;
    }

    /// <summary>Creates a console that draws on <paramref name="output"/> as on a terminal, with colours as the environment allows.</summary>
    public static IAnsiConsole CreateConsole(TextWriter output, IReadOnlyDictionary<string, string> variables) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(output),
        Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
        EnvironmentVariables = variables.ToDictionary(StringComparer.Ordinal),
    });

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent) => _state.Record(runEvent);

    /// <inheritdoc/>
    public ILogger CreateStepLogger(RunId run, string step, int attempt) => NullLogger.Instance;

    /// <summary>Stops the refresh loop, waits for it, and replaces the live frame by the final summary (when the run ended); safe to call twice.</summary>
    public Task CompleteAsync() => _completion ??= CompleteOnceAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await CompleteAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task CompleteOnceAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _onCancel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The loop stopped drawing (the terminal went away?): the summary is still worth a try.
        }

        try
        {
            LiveProgressSnapshot last = _state.Snapshot();
            string permanent = Failures();
            if (last.End is { } end)
            {
                IReadOnlyList<LiveProgressRow> failed = last.AllShown ? [] : _state.FailedRows(MaxFailedInSummary);
                int moreFailed = last.AllShown ? 0 : last[LiveStepState.Failed] - failed.Count;
                permanent += _console.ToAnsi(LiveProgressView.Summary(last, failed, moreFailed, PlainText(end).TrimEnd('\n'), _console.Profile.Width));
            }

            _region.Draw(permanent, frame: null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing view never fails the run: it is recorded and its exit code stands; typically the terminal is gone.
        }
    }

    private async Task DrawLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _region.Draw(Failures(), Frame());
            try
            {
                await Task.Delay(_refreshInterval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: CompleteAsync draws the end.
            }
        }
    }

    // Failures are printed above the frame in the plain output's words as they happen, so they stay in the scrollback.
    private string Failures() => string.Concat(_state.TakeFailures().Select(PlainText));

    private IRenderable Frame() => LiveProgressView.Frame(_state.Snapshot(), _console.Profile.Capabilities.Unicode, _console.Profile.Width);

    // The plain output's words for failures and the result line, so a person reads the same text in both modes.
    private string PlainText(RunEvent e)
    {
        using var text = new StringWriter();
        new ConsoleObserver(text, _zone, _nameWidth, quiet: false).OnEvent(e);
        return text.ToString();
    }
}
