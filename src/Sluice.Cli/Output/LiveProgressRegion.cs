using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sluice.Cli.Output;

/// <summary>The lines at the bottom of a terminal that the live view redraws in place; what it prints above them stays in the scrollback.</summary>
/// <remarks>
/// Spectre renders the renderables; the redrawing is done here rather than by Spectre's <c>LiveDisplay</c>, which clears the
/// whole screen and the scrollback when the terminal shrinks (losing the failures printed above) and has no way to leave its
/// last frame standing once something else (the Ctrl-C notice) was written below it.
/// The cursor rests at the start of the line after the frame, so text written by others lands below the frame, not in it.
/// </remarks>
internal sealed class LiveProgressRegion(IAnsiConsole console)
{
    private const string Csi = "\u001b[";
    private const string EraseLine = Csi + "2K";
    private const string Up = Csi + "1A";
    private const string HideCursor = Csi + "?25l";
    private const string ShowCursor = Csi + "?25h";

    private readonly Lock _gate = new();
    private int _height;
    private bool _cursorHidden;
    private bool _keepCursor;

    /// <summary>Gets how many lines the frame on screen has.</summary>
    public int Height
    {
        get { lock (_gate) { return _height; } }
    }

    /// <summary>Replaces the frame on screen: erases it, prints <paramref name="permanent"/> (to stay), then draws <paramref name="frame"/>, in one write.</summary>
    /// <param name="permanent">Text to print for good above the frame, such as a failure's lines or the summary; may be empty. Written as it is (the terminal wraps it), so a copied line is the original line.</param>
    /// <param name="frame">The new frame; null to end with no frame, the cursor shown again.</param>
    public void Draw(string permanent, IRenderable? frame)
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            if (frame is not null && !_cursorHidden && !_keepCursor)
            {
                text.Append(HideCursor);
                _cursorHidden = true;
            }

            // From the line below the frame: up one line per frame line, erasing each, to where the frame began.
            text.Append('\r').Append(EraseLine);
            for (int i = 0; i < _height; i++)
            {
                text.Append(Up).Append(EraseLine);
            }

            if (permanent.Length > 0)
            {
                AppendLines(text, permanent);
            }

            _height = frame is null ? 0 : AppendLines(text, console.ToAnsi(frame));
            if (frame is null && _cursorHidden)
            {
                text.Append(ShowCursor);
                _cursorHidden = false;
            }

            console.WriteAnsi(text.ToString());

            // The console may be a redacting writer that holds text until a line ends; a frame must show now.
            console.Profile.Out.Writer.Flush();
        }
    }

    /// <summary>Leaves the frame on screen as it is and starts the next one below: something else was written after it (the Ctrl-C notice), which erasing would destroy.</summary>
    /// <remarks>The cursor is shown from here on, so a second Ctrl-C, which ends the process at once, leaves it visible.</remarks>
    public void Abandon()
    {
        lock (_gate)
        {
            _height = 0;
            _keepCursor = true;
            if (_cursorHidden)
            {
                _cursorHidden = false;
                console.WriteAnsi(ShowCursor);
                console.Profile.Out.Writer.Flush();
            }
        }
    }

    // Appends rendered text so that it ends with a line break; returns how many lines it takes.
    private static int AppendLines(StringBuilder text, string rendered)
    {
        int lines = 0;
        foreach (char c in rendered)
        {
            lines += c == '\n' ? 1 : 0;
        }

        text.Append(rendered);
        if (!rendered.EndsWith('\n'))
        {
            text.Append('\n');
            lines++;
        }

        return lines;
    }
}
