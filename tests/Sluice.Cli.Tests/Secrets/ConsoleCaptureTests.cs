using Sluice.Cli.Output;
using Sluice.Definitions;
using Sluice.Secrets;

namespace Sluice.Cli.Tests.Secrets;

/// <summary>The console is the process's: tests that replace it run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>What a step writes to the console goes to its log, redacted; the console is given back after the run.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ConsoleCaptureTests : IDisposable
{
    private const string Key = "console-key-123456";

    private readonly SecretsProject _project = new();

    public ConsoleCaptureTests()
    {
        _project.Write("config/secrets.json", new { Api = new { Key } });
    }

    public void Dispose() => _project.Dispose();

    private static Pipeline Printing() => Pipeline.Define("printing", p =>
    {
        Artifact<SecretsProject.ApiSettings> api = p.Parameters<SecretsProject.ApiSettings>("Api");
        p.Step("print").Executes(api, (_, s) =>
        {
            Console.WriteLine($"using key {s.Key!.Reveal()}");
            Console.Error.WriteLine("a warning on stderr");
            Console.Write("no newline at the end");
        });
    });

    [Fact]
    public async Task Run_StepWritesToConsole_LinesInItsLogRedactedAndConsoleRestored()
    {
        TextWriter before = Console.Out;
        TextWriter beforeError = Console.Error;

        var (exit, output, _) = await _project.Cli.RunAsync(Printing, "run");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Same(before, Console.Out);
        Assert.Same(beforeError, Console.Error);
        Assert.DoesNotContain("using key", output, StringComparison.Ordinal);
        string log = File.ReadAllText(Directory.GetFiles(_project.Project.PathTo("logs"), "print.log", SearchOption.AllDirectories).Single());
        Assert.Matches(@"info run=\S+ step=\S+ attempt=1 using key \*\*\*\n", log);
        Assert.Matches(@"warn run=\S+ step=\S+ attempt=1 a warning on stderr\n", log);
        Assert.Matches(@"info run=\S+ step=\S+ attempt=1 no newline at the end\n", log);
        Assert.DoesNotContain(Key, log, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_WriteOutsideStep_GoesToConsoleRedacted()
    {
        TextWriter before = Console.Out;
        using var console = new StringWriter();
        Console.SetOut(console);
        try
        {
            var secrets = new SecretRedactor();
            secrets.Add("Api:Key", Key);
            using (ConsoleCapture.Start(secrets))
            {
                Console.Write($"not in a step: {Key[..5]}");
                Console.WriteLine($"{Key[5..]} end");
            }

            Assert.Equal($"not in a step: *** end{Environment.NewLine}", console.ToString());
        }
        finally
        {
            Console.SetOut(before);
        }
    }
}
