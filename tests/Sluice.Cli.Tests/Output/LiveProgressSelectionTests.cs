using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Cli.Tests.Commands;

namespace Sluice.Cli.Tests.Output;

/// <summary>When <c>run</c> shows the live view and when plain lines: terminal, --no-progress, --quiet, NO_COLOR, TERM=dumb, CI and SLUICE_PROGRESS.</summary>
public sealed class LiveProgressSelectionTests : IDisposable
{
    private const string Escape = "\u001b[";

    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public LiveProgressSelectionTests()
    {
        _cli = new CliHarness(_project.Root) { IsTerminal = true };
    }

    public void Dispose() => _project.Dispose();

    private static void AssertLive(string output)
    {
        Assert.Contains(Escape, output, StringComparison.Ordinal);
        string screen = LiveProgressViewTests.Plain(output);
        Assert.Contains("5/5 steps: 5 succeeded", screen, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d run \S+ succeeded in ", screen);
        Assert.DoesNotMatch(@"source +started", screen);
    }

    private static void AssertPlain(string output, bool quiet = false)
    {
        Assert.DoesNotContain(Escape, output, StringComparison.Ordinal);
        Assert.DoesNotContain("steps:", output, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d run \S+ succeeded in ", output);
        if (quiet)
        {
            Assert.DoesNotMatch(@"source +started", output);
        }
        else
        {
            Assert.Matches(@"\d\d:\d\d:\d\d   source +started\n", output);
            Assert.Matches(@"\d\d:\d\d:\d\d   join +succeeded +\d+ ms\n", output);
        }
    }

    [Fact]
    public async Task Run_OnATerminal_ShowsTheLiveView()
    {
        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");

        Assert.True(exit == ExitCodes.Success, error);
        AssertLive(output);
    }

    [Theory]
    [InlineData("not a terminal", null, null)]
    [InlineData("--no-progress", null, null)]
    [InlineData("--quiet", null, null)]
    [InlineData("-q", null, null)]
    [InlineData(null, "NO_COLOR", "1")]
    [InlineData(null, "NO_COLOR", "")]
    [InlineData(null, "TERM", "dumb")]
    [InlineData(null, "CI", "true")]
    [InlineData(null, "CI", "1")]
    [InlineData(null, "SLUICE_PROGRESS", "plain")]
    [InlineData("--no-progress", "SLUICE_PROGRESS", "live")]
    public async Task Run_PlainLines_When(string? option, string? variable, string? value)
    {
        _cli.IsTerminal = option != "not a terminal";
        if (variable is not null)
        {
            _cli.Variables[variable] = value!;
        }

        string[] args = option is null or "not a terminal" ? ["run"] : ["run", option];
        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), args);

        Assert.True(exit == ExitCodes.Success, error);
        AssertPlain(output, quiet: option is "--quiet" or "-q");
    }

    [Theory]
    [InlineData("CI", "false")]
    [InlineData("CI", "")]
    [InlineData("TERM", "xterm-256color")]
    [InlineData("SLUICE_PROGRESS", "auto")]
    public async Task Run_LiveView_WhenTheVariableDoesNotAskForPlain(string variable, string value)
    {
        _cli.Variables[variable] = value;

        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");

        Assert.True(exit == ExitCodes.Success, error);
        AssertLive(output);
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("NO_COLOR", "1")]
    [InlineData("TERM", "dumb")]
    public async Task Run_SluiceProgressLive_OverridesTheEnvironmentsHints_OnATerminal(string variable, string value)
    {
        _cli.Variables[variable] = value;
        _cli.Variables["SLUICE_PROGRESS"] = "live";

        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");

        Assert.True(exit == ExitCodes.Success, error);
        AssertLive(output);
    }

    [Fact]
    public async Task Run_SluiceProgressLive_NeverWritesEscapeCodesWhenNotATerminal()
    {
        _cli.IsTerminal = false;
        _cli.Variables["SLUICE_PROGRESS"] = "live";

        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");

        Assert.True(exit == ExitCodes.Success, error);
        AssertPlain(output);
    }

    [Fact]
    public async Task Run_SluiceProgressUnknownValue_FailsBeforeWritingAnything_NamingTheVariableAndTheChoices()
    {
        _cli.Variables["SLUICE_PROGRESS"] = "fancy";

        var (exit, output, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Equal("", output);
        Assert.Contains("SLUICE_PROGRESS is 'fancy': expected 'live'", error, StringComparison.Ordinal);
        Assert.Contains("'plain'", error, StringComparison.Ordinal);
        Assert.Contains("'auto'", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.PathTo(".sluice")), "nothing may be written before the command line and environment are checked");
    }

    [Theory]
    [InlineData(true, false, false, null, null, true)]
    [InlineData(true, true, false, null, null, false)]
    [InlineData(true, false, true, null, null, false)]
    [InlineData(false, false, false, null, null, false)]
    [InlineData(true, false, false, "CI", "yes", false)]
    [InlineData(true, false, false, "SLUICE_PROGRESS", " Live ", true)]
    public void Choose_FollowsTheDocumentedOrder(bool terminal, bool noProgress, bool quiet, string? variable, string? value, bool live)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variable is not null)
        {
            variables[variable] = value!;
        }

        var env = new AppEnvironment
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            Time = TimeProvider.System,
            WorkingDirectory = _project.Root,
            Variables = variables,
            IsTerminal = terminal,
        };

        (bool chosen, string why) = LiveProgressSelection.Choose(env, noProgress, quiet);

        Assert.Equal(live, chosen);
        Assert.NotEmpty(why);
    }
}
