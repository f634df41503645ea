using Sluice.Definitions;

namespace Sluice.Cli.Tests.Commands;

/// <summary>Bad input gets a clear message naming the thing, exit code 2, and writes nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);
    private readonly CliHarness _cli;

    public BadInputTests()
    {
        _cli = new CliHarness(_project.Root);
    }

    public void Dispose() => _project.Dispose();

    private void AssertNothingWritten()
    {
        Assert.False(Directory.Exists(_project.PathTo(".sluice")), ".sluice/ was created");
        Assert.False(Directory.Exists(_project.PathTo("logs")), "logs/ was created");
    }

    [Fact]
    public async Task Run_UnknownStep_SuggestsNameAndWritesNothing()
    {
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run", "--only", "jion");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("--only names step 'jion', which does not exist. Did you mean 'join'?", error);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_InvalidDefinition_ListsEveryProblem()
    {
        static Pipeline Broken() => Pipeline.Define("broken", p =>
        {
            p.Step("a").After("c").Executes(ctx => { });
            p.Step("b").After("a").Executes(ctx => { });
            p.Step("c").After("b").Executes(ctx => { });
            p.Step("Bad Name").Executes(ctx => { });
            p.Step("d").After("jion").Executes(ctx => { });
        });

        var (exit, _, error) = await _cli.RunAsync(Broken, "run");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("3 problems in pipeline 'broken':", error);
        Assert.Contains("Dependency cycle: a -> b -> c -> a", error);
        Assert.Contains("Step name 'Bad Name' is not valid", error);
        Assert.Contains("Step 'd' runs after 'jion', which does not exist.", error);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_UnknownAndIllTypedConfig_ReportsBothWithKeyPaths()
    {
        _project.Write("config/appsettings.json", """{ "Diamond": { "Strat": 5 } }""");
        _cli.Variables["SLUICE_Diamond__Start"] = "many";
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Configuration key 'Diamond:Strat' is not a setting of DiamondSettings. Did you mean 'Start'?", error);
        Assert.Contains("Configuration key 'Diamond:Start' has the value 'many', which is not a whole number", error);
        Assert.False(Directory.Exists(_project.PathTo(".sluice")), ".sluice/ was created");
    }

    [Fact]
    public async Task Run_ValueOutOfRange_NamesKeyAndRule()
    {
        _cli.Variables["SLUICE_Diamond__Start"] = "5000";
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Diamond:Start", error);
        Assert.Contains("between 0 and 1000", error);
    }

    [Fact]
    public async Task Run_MalformedJsonConfig_NamesFile()
    {
        _project.Write("config/appsettings.json", "{ \"Diamond\": { \"Start\": 5, } ");
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "plan");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("appsettings.json", error);
        AssertNothingWritten();
    }

    [Fact]
    public async Task UnknownOption_IsUsageError()
    {
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "run", "--max-paralel", "2");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("--max-paralel", error);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Show_UnknownRun_SaysHowToFindOne()
    {
        var (exit, _, error) = await _cli.RunAsync(() => CommandOutputTests.Diamond(), "show", "2026");
        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("no runs yet", error);
    }
}
