using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sluice.Cli.Output;

/// <summary>Draws snapshots of <see cref="LiveProgressState"/>: the live frame and the final summary. Pure: same snapshot, same output.</summary>
internal static class LiveProgressView
{
    private const int MaxBarWidth = 30;
    private const int ColumnGap = 2;

    /// <summary>Returns the live frame: the run's progress line, a row per shown step and the counts.</summary>
    /// <param name="snapshot">The state to draw.</param>
    /// <param name="unicode">Whether the terminal draws Unicode (the bar's glyphs).</param>
    /// <param name="width">The terminal's width: notes are cut to fit, so a row is always one line.</param>
    public static IRenderable Frame(LiveProgressSnapshot snapshot, bool unicode, int width)
    {
        var lines = new List<IRenderable> { Header(snapshot, unicode, width) };
        if (snapshot.Rows.Count > 0)
        {
            lines.Add(StepTable(snapshot.Rows, "elapsed", width));
        }

        string counts = Counts(snapshot);
        if (!snapshot.AllShown)
        {
            counts += string.Create(CultureInfo.InvariantCulture, $"  (showing {snapshot.Rows.Count} of {snapshot.Total:N0} steps)");
        }

        lines.Add(new Text(counts, new Style(Color.Grey)));
        return new Rows(lines);
    }

    /// <summary>Returns the stable summary that replaces the live frame: every step of a small run (else its failures), the counts and the run's result line.</summary>
    /// <param name="snapshot">The final state.</param>
    /// <param name="failed">The failed steps' rows when not every step is shown (a large run).</param>
    /// <param name="moreFailed">How many failed steps <paramref name="failed"/> leaves out.</param>
    /// <param name="resultLine">The run's result, worded as the plain output words it.</param>
    /// <param name="width">The terminal's width: notes are cut to fit (failures were printed in full as they happened).</param>
    public static IRenderable Summary(LiveProgressSnapshot snapshot, IReadOnlyList<LiveProgressRow> failed, int moreFailed, string resultLine, int width)
    {
        var lines = new List<IRenderable>();
        IReadOnlyList<LiveProgressRow> rows = snapshot.AllShown ? snapshot.Rows : failed;
        if (rows.Count > 0)
        {
            lines.Add(StepTable(rows, "time", width));
        }

        if (moreFailed > 0)
        {
            lines.Add(new Text(string.Create(CultureInfo.InvariantCulture, $"... and {moreFailed:N0} more failed steps: see 'show {snapshot.RunId}'")));
        }

        lines.Add(new Text(string.Create(CultureInfo.InvariantCulture, $"{snapshot.Done:N0}/{snapshot.Total:N0} steps: {Counts(snapshot)}")));
        lines.Add(new Text(resultLine, Style.Plain));
        return new Rows(lines);
    }

    /// <summary>Returns the word a state is shown as.</summary>
    public static string Word(LiveStepState state) => state switch
    {
        LiveStepState.NotRun => "not run",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Returns the counts of the states that have any, most active first: "2 running, 30 succeeded, 5 reused, 12 waiting".</summary>
    public static string Counts(LiveProgressSnapshot snapshot)
    {
        LiveStepState[] order =
        [
            LiveStepState.Running, LiveStepState.Retrying, LiveStepState.Succeeded, LiveStepState.Reused, LiveStepState.Failed,
            LiveStepState.NotRun, LiveStepState.Cancelled, LiveStepState.Waiting, LiveStepState.Skipped,
        ];
        IEnumerable<string> parts = order
            .Where(s => snapshot[s] > 0)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{snapshot[s]:N0} {Word(s)}"));
        string text = string.Join(", ", parts);
        return text.Length == 0 ? "no steps" : text;
    }

    // The bar gives way first on a narrow terminal, so the line never wraps (a wrapped line would break the redraw).
    private static Markup Header(LiveProgressSnapshot s, bool unicode, int width)
    {
        double fraction = s.Total == 0 ? 1 : (double)s.Done / s.Total;
        string run = s.RunId is { } id ? $"run {id}" : "run starting";
        string figures = string.Create(CultureInfo.InvariantCulture, $"{s.Done:N0}/{s.Total:N0} steps  {fraction * 100,3:0}%  {Formats.Duration(s.Elapsed)}");
        int barWidth = Math.Min(MaxBarWidth, width - run.Length - figures.Length - 6);
        string bar = "";
        if (barWidth >= 5)
        {
            int filled = (int)Math.Round(fraction * barWidth, MidpointRounding.ToZero);
            string colour = s[LiveStepState.Failed] > 0 ? "red" : "green";
            bar = $"  [{colour}]{new string(unicode ? '━' : '#', filled)}[/][grey]{new string(unicode ? '━' : '-', barWidth - filled)}[/]";
        }

        return new Markup($"[bold]{Markup.Escape(run)}[/]{bar}  {figures}");
    }

    // Laid out here rather than by Spectre's Table: a row must stay one line (the redraw counts lines), so the note is cut
    // to what the other columns leave; and a frame is drawn ten times a second, where a Table's layout costs milliseconds.
    private static Paragraph StepTable(IReadOnlyList<LiveProgressRow> rows, string timeHeading, int width)
    {
        string[] attempts = [.. rows.Select(AttemptText)];
        string[] times = [.. rows.Select(r => r.Elapsed is { } t ? Formats.Duration(t) : "")];
        int stateWidth = Math.Max(5, rows.Max(r => Word(r.State).Length));
        int stepWidth = Math.Max(4, rows.Max(r => r.Step.Length));
        int attemptWidth = Math.Max(7, attempts.Max(a => a.Length));
        int timeWidth = Math.Max(timeHeading.Length, times.Max(t => t.Length));
        int noteWidth = width - (stateWidth + stepWidth + attemptWidth + timeWidth + (ColumnGap * 4)) - 1;
        string gap = new(' ', ColumnGap);

        var grey = new Style(Color.Grey);
        var table = new Paragraph();
        table.Append("state".PadRight(stateWidth) + gap + "step".PadRight(stepWidth) + gap + "attempt".PadRight(attemptWidth) + gap + timeHeading.PadLeft(timeWidth), grey);
        for (int i = 0; i < rows.Count; i++)
        {
            LiveProgressRow row = rows[i];
            table.Append("\n");
            table.Append(Word(row.State).PadRight(stateWidth), StateStyle(row.State));
            table.Append(gap + row.Step.PadRight(stepWidth) + gap + attempts[i].PadRight(attemptWidth) + gap + times[i].PadLeft(timeWidth));
            if (noteWidth >= 8 && !string.IsNullOrEmpty(row.Note))
            {
                table.Append(gap + Formats.OneLine(row.Note, noteWidth), grey);
            }
        }

        return table;
    }

    private static string AttemptText(LiveProgressRow row) =>
        row.Attempt == 0 ? "" : row.MaxAttempts > 1 ? $"{row.Attempt}/{row.MaxAttempts}" : row.Attempt.ToString(CultureInfo.InvariantCulture);

    private static Style StateStyle(LiveStepState state) => state switch
    {
        LiveStepState.Running => new Style(Color.Aqua),
        LiveStepState.Retrying => new Style(Color.Yellow),
        LiveStepState.Succeeded => new Style(Color.Green),
        LiveStepState.Reused => new Style(Color.Green, decoration: Decoration.Dim),
        LiveStepState.Failed => new Style(Color.Red, decoration: Decoration.Bold),
        LiveStepState.Cancelled => new Style(Color.Yellow),
        _ => new Style(Color.Grey),
    };
}
