using System.CommandLine;
using System.Text.Json;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.State;

namespace Sluice.Cli.Commands;

/// <summary><c>logs RUN [STEP]</c>: a run's events, or what one step logged (with <c>--json</c>, its lines and events from <c>run.jsonl</c>).</summary>
internal static class LogsCommand
{
    public static Command Create(CommandContext context, Option<string?> projectDir, Option<bool> json)
    {
        var runArgument = new Argument<string>("run") { Description = "A run id, a unique prefix of one, or 'last'." };
        var stepArgument = new Argument<string?>("step") { Description = "A step: print what it logged instead of the run's events.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Print a run's events at step boundaries, or the log of one step.");
        command.Arguments.Add(runArgument);
        command.Arguments.Add(stepArgument);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            ProjectPaths paths = context.Paths(result.GetValue(projectDir));
            await using IRunStore? store = await CommandContext.OpenExistingStoreAsync(paths).ConfigureAwait(false);
            RunRecord run = await CommandContext.FindRunAsync(store, result.GetValue(runArgument)!, cancellationToken).ConfigureAwait(false);
            string? step = result.GetValue(stepArgument);
            if (step is not null)
            {
                IReadOnlyList<StepRecord> steps = await store!.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false);
                if (!steps.Any(s => s.Step == step))
                {
                    string? guess = Definitions.Spelling.Closest(step, steps.Select(s => s.Step));
                    throw new UsageException($"Run {run.Id} has no step '{step}'.{(guess is null ? "" : $" Did you mean '{guess}'?")}");
                }

                if (result.GetValue(json))
                {
                    return await StepLinesAsync(context, paths, run, step, cancellationToken).ConfigureAwait(false);
                }

                string file = Path.Combine(paths.RunLogs(run.Id.Value), step + ".log");
                if (File.Exists(file))
                {
                    context.Out.Write(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    context.Error.Write($"Step '{step}' logged nothing in run {run.Id} ({paths.Relative(file)} does not exist).\n");
                }

                return ExitCodes.Success;
            }

            IReadOnlyList<RunEvent> events = await store!.GetEventsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                foreach (RunEvent e in events)
                {
                    using var buffer = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    {
                        JsonLinesObserver.Write(writer, e);
                    }

                    context.Out.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
                }
            }
            else
            {
                int width = events.Select(e => e.Step?.Length ?? 0).DefaultIfEmpty(4).Max();
                var console = new ConsoleObserver(context.Out, context.Zone, width, quiet: false);
                foreach (RunEvent e in events)
                {
                    console.OnEvent(e);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints the step's lines of <c>run.jsonl</c>, its <c>log</c> lines and its events, as they were written.</summary>
    private static async Task<int> StepLinesAsync(CommandContext context, ProjectPaths paths, RunRecord run, string step, CancellationToken cancellationToken)
    {
        string file = Path.Combine(paths.RunLogs(run.Id.Value), "run.jsonl");
        if (!File.Exists(file))
        {
            context.Error.Write($"Run {run.Id} has no structured log ({paths.Relative(file)} does not exist).\n");
            return ExitCodes.Success;
        }

        int number = 0;
        foreach (string line in await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var parsed = JsonDocument.Parse(line);
                if (parsed.RootElement.TryGetProperty("step", out JsonElement named) && named.ValueEquals(step))
                {
                    context.Out.Write(line + "\n");
                }
            }
            catch (JsonException e)
            {
                // A run killed mid-write can leave a torn last line; say where, and keep the rest.
                context.Error.Write($"warning: {paths.Relative(file)} line {number} is not JSON ({e.Message}); skipped.\n");
            }
        }

        return ExitCodes.Success;
    }
}
