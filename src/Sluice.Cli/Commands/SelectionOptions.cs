using System.CommandLine;
using Sluice.Planning;

namespace Sluice.Cli.Commands;

/// <summary>The step-selection options shared by <c>run</c> and <c>plan</c>.</summary>
internal sealed class SelectionOptions
{
    public Option<string[]> Only { get; } = new("--only")
    {
        Description = "Run only these steps (names separated by spaces or repeated).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> From { get; } = new("--from")
    {
        Description = "Run these steps and everything downstream of them.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> Until { get; } = new("--until")
    {
        Description = "Run these steps and everything upstream of them.",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Only);
        command.Options.Add(From);
        command.Options.Add(Until);
    }

    public StepSelection Read(ParseResult result) => new()
    {
        Only = result.GetValue(Only) ?? [],
        From = result.GetValue(From) ?? [],
        Until = result.GetValue(Until) ?? [],
    };
}
