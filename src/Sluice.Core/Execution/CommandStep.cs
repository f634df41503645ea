using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Sluice.Definitions;

namespace Sluice.Execution;

/// <summary>One attempt of a command step: stage, run, check the outputs, publish them.</summary>
internal static partial class CommandStep
{
    /// <summary>The variable naming the attempt's staging folder, whose layout mirrors the project's (<c>$SLUICE_OUTPUT_DIR/data/out.csv</c>).</summary>
    public const string OutputDirectoryVariable = "SLUICE_OUTPUT_DIR";

    // Outputs whose publishing is still finishing, by the manifest value the step returned (weakly: a dropped value drops its entry).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CommandOutputs, Task> Publishing = [];

    public static async Task<object?> InvokeAsync(CommandSpec spec, StepContext context)
    {
        ICommandRunner runner = Service<ICommandRunner>(context);
        ICommandWorkspace workspace = Service<ICommandWorkspace>(context);
        CancellationToken cancellationToken = context.CancellationToken;
        string staging = await workspace.CreateStagingAsync(context.RunId, context.Step, context.Attempt, spec.Outputs, cancellationToken).ConfigureAwait(false);
        try
        {
            var configuration = context.Services.GetService(typeof(IConfiguration)) as IConfiguration;
            CommandLaunch launch = Resolve(spec, context.ProjectDirectory, staging, key => configuration?[key]);
            ILogger logger = context.Logger;
            CommandExit exit = await runner.RunAsync(launch, (stream, line) =>
            {
                if (stream == CommandStream.Output)
                {
                    LogOutput(logger, line);
                }
                else
                {
                    LogError(logger, line);
                }
            }, cancellationToken).ConfigureAwait(false);
            if (exit.ExitCode != 0)
            {
                bool transient = spec.TransientExitCodes.Contains(exit.ExitCode);
                throw new CommandFailedException(ExitMessage(spec, exit, transient), exit.ExitCode, transient);
            }

            // The program is done: what is left is Sluice's (hash, fsync, rename), so the next program may start now.
            context.Slot?.Release();

            IReadOnlyList<string> missing = await workspace.FindMissingAsync(staging, spec.Outputs, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                throw new CommandFailedException(
                    $"'{spec.Program}' exited with code 0 but did not write {missing.Count} of its {spec.Outputs.Count} declared outputs: {string.Join(", ", missing.Select(m => $"'{m}'"))}. "
                    + "Write each output to its {out:N} path (or under $SLUICE_OUTPUT_DIR); nothing was published.");
            }

            // Only now do the outputs leave the staging folder: stored durably first, then each renamed over its published path.
            // A workspace may still be finishing that when this returns: the step's commit awaits it (Published) before it
            // records the checkpoint or lets a later step start.
            // A publish that already failed is kept like one still running, so the commit sees its failure rather than nothing.
            (CommandOutputs outputs, Task published) = await workspace.BeginPublishAsync(staging, spec.Outputs, cancellationToken).ConfigureAwait(false);
            if (!published.IsCompletedSuccessfully)
            {
                Publishing.AddOrUpdate(outputs, published);
            }

            return outputs;
        }
        finally
        {
            await workspace.DeleteStagingAsync(staging).ConfigureAwait(false);
        }
    }

    /// <summary>Returns the artifact of a command step with one output, which is that file's stored object; null for any other step, whose value is serialized.</summary>
    /// <remarks>No manifest is written for such a step: its one file is the artifact, so <c>artifacts trace</c> finds it by the file's hash, and <c>gc</c> keeps it with the checkpoint.</remarks>
    internal static Artifacts.ArtifactRef? StoredFile(StepDefinition step, object? value) =>
        step.Command is { Outputs.Count: 1 } && value is CommandOutputs { Files: [CommandOutputFile file] }
            ? new Artifacts.ArtifactRef(Artifacts.ContentHash.Parse(file.Hash), file.Length)
            : null;

    /// <summary>Returns the value of a command step with one output from its artifact (that file's object) without reading anything; null for any other step.</summary>
    internal static CommandOutputs? Outputs(StepDefinition step, Artifacts.ArtifactRef artifact) =>
        step.Command is { Outputs: [string path] } ? new CommandOutputs([new CommandOutputFile(path, artifact.Hash.ToString(), artifact.Length)]) : null;

    /// <summary>Returns the task that completes when a command step's outputs (its returned value) are durable and published; completed for any other value.</summary>
    internal static Task Published(object? value) =>
        value is CommandOutputs outputs && Publishing.TryGetValue(outputs, out Task? published) && Publishing.Remove(outputs) ? published : Task.CompletedTask;

    /// <summary>Resolves <c>{in:N}</c> and <c>{out:N}</c> in arguments and environment values, and makes the paths absolute.</summary>
    /// <param name="spec">The command.</param>
    /// <param name="projectDirectory">The project folder inputs are read from.</param>
    /// <param name="staging">The attempt's staging folder outputs are written to.</param>
    /// <param name="setting">Reads a configuration key, for variables taken from a setting (checked at start-up, so missing here means the services lack the configuration).</param>
    internal static CommandLaunch Resolve(CommandSpec spec, string projectDirectory, string staging, Func<string, string?>? setting = null)
    {
        string Expand(string text) => text.Contains('{', StringComparison.Ordinal) ? ExpandPlaceholders(text, spec, projectDirectory, staging) : text;

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (CommandVariable variable in spec.Environment)
        {
            environment[variable.Name] = variable.Setting is { } key
                ? setting?.Invoke(key) ?? throw new CommandFailedException(
                    $"Environment variable '{variable.Name}' reads the setting '{key}', which is not set for this run: put it in config/secrets.json, user-secrets or SLUICE_{key.Replace(":", "__", StringComparison.Ordinal)}.")
                : Expand(variable.Value);
        }

        environment[OutputDirectoryVariable] = staging;
        string workingDirectory = spec.WorkingDirectory is { } folder ? Path.Combine(projectDirectory, folder) : projectDirectory;
        return new CommandLaunch(spec.Program, [.. spec.Arguments.Select(Expand)], workingDirectory, environment);
    }

    // Replaces each {in:N} and {out:N} (N in ASCII digits) with its path: what Placeholder() matches in a definition that
    // passed validation (BadPlaceholders), scanned by hand because a Regex replacement was a few microseconds of every
    // command's start.
    private static string ExpandPlaceholders(string text, CommandSpec spec, string projectDirectory, string staging)
    {
        var expanded = new StringBuilder(text.Length + 64);
        int done = 0;
        for (int open = text.IndexOf('{', StringComparison.Ordinal); open >= 0; open = text.IndexOf('{', open + 1))
        {
            bool input = string.CompareOrdinal(text, open + 1, "in:", 0, 3) == 0;
            if (!input && string.CompareOrdinal(text, open + 1, "out:", 0, 4) != 0)
            {
                continue;
            }

            int first = open + (input ? 4 : 5);
            int end = first;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end == first || end >= text.Length || text[end] != '}'
                || !int.TryParse(text.AsSpan(first, end - first), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= (input ? spec.Inputs.Count : spec.Outputs.Count))
            {
                continue;
            }

            expanded.Append(text, done, open - done)
                .Append(input ? Path.Combine(projectDirectory, spec.Inputs[index]) : Path.Combine(staging, spec.Outputs[index]));
            done = end + 1;
            open = end;
        }

        return done == 0 ? text : expanded.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>Returns the placeholders of a text whose index is out of range, for validation at build.</summary>
    internal static IEnumerable<string> BadPlaceholders(string text, int inputs, int outputs) =>
        Placeholder().Matches(text)
            .Where(m => !int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out int i) || i >= (m.Groups[1].Value == "in" ? inputs : outputs))
            .Select(m => m.Value);

    private static string ExitMessage(CommandSpec spec, CommandExit exit, bool transient)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"'{spec.Program}' exited with code {exit.ExitCode}");
        message.Append(transient ? " (declared transient, may be retried)." : ".");
        if (exit.ErrorTail.Count > 0)
        {
            message.Append(" Last lines of its standard error:");
            foreach (string line in exit.ErrorTail)
            {
                message.Append("\n  ").Append(line);
            }
        }

        return message.ToString();
    }

    private static T Service<T>(StepContext context)
        where T : class =>
        context.Services.GetService(typeof(T)) as T
        ?? throw new InvalidOperationException(
            $"Step '{context.Step}' runs a command, but no {typeof(T).Name} is among the run's services: run the pipeline with PipelineApp, or pass Sluice.Processes.CommandServices as RunOptions.Services.");

    [GeneratedRegex(@"\{(in|out):(\d+)\}")]
    private static partial Regex Placeholder();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogError(ILogger logger, string line);
}
