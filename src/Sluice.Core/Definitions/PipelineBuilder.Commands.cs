namespace Sluice.Definitions;

public sealed partial class PipelineBuilder
{
    /// <summary>Declares a step that runs a program, for example <c>p.Command("fetch", c =&gt; c.Run("python3", "fetch.py").Outputs("data/raw.csv"))</c>.</summary>
    /// <remarks>Shorthand for <c>p.Step(name).Runs(configure)</c>; use that form to set Version, WithRetry, WithTimeout or After.</remarks>
    public Artifact<CommandOutputs> Command(string name, Action<CommandBuilder> configure) => Step(name).Runs(configure);

    /// <summary>Checks that no two steps declare the same output file, and turns a declared input file another step produces into an edge to it.</summary>
    private void LinkCommandFiles(List<string> problems)
    {
        var producers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StepBuilder step in _steps)
        {
            IReadOnlyList<string> commandOutputs = step.Definition?.Command?.Outputs ?? [];
            string? published = step.Definition?.PublishPath;
            if (commandOutputs.Count == 0 && published is null)
            {
                // Most steps declare no file: no sequence to build for them.
                continue;
            }

            IEnumerable<string> outputs = published is null ? commandOutputs : commandOutputs.Append(ProjectRelativePath.Normalize(published));
            foreach (string output in outputs.Distinct(StringComparer.Ordinal))
            {
                if (!producers.TryAdd(output, step.Name) && producers[output] != step.Name)
                {
                    problems.Add($"Output '{output}' is declared by steps '{producers[output]}' and '{step.Name}': each file has one producer; give one of them another path.");
                }
            }
        }

        foreach (StepBuilder step in _steps)
        {
            if (step.Definition is not { Command: not null } definition)
            {
                continue;
            }

            bool changed = false;
            var inputs = new List<Artifact>(definition.Inputs.Count);
            foreach (Artifact input in definition.Inputs)
            {
                if (input.Source == ArtifactSource.File && producers.TryGetValue(input.Name, out string? producer) && producer != step.Name)
                {
                    // The producer's artifact carries the file's hash (its manifest), so early cut-off works and the plan knows the order.
                    changed = true;
                    if (!inputs.Any(i => i.Source == ArtifactSource.Step && i.Name == producer))
                    {
                        inputs.Add(new Artifact<CommandOutputs>(this, ArtifactSource.Step, producer));
                    }
                }
                else
                {
                    inputs.Add(input);
                }
            }

            if (changed)
            {
                step.Relink(inputs);
            }
        }
    }
}
