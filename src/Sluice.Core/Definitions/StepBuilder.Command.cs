using Sluice.Execution;

namespace Sluice.Definitions;

public sealed partial class StepBuilder
{
    /// <summary>Sets the step's work to running a program; returns the artifact of its published output files.</summary>
    /// <remarks>Set Version, WithRetry, WithTimeout and After before this call, as for any step.</remarks>
    public Artifact<CommandOutputs> Runs(Action<CommandBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var command = new CommandBuilder();
        configure(command);
        return Runs(command.ToSpec(), [.. command.Artifacts]);
    }

    /// <summary>Sets the step's work to running the command <paramref name="spec"/>, after the steps producing <paramref name="after"/>.</summary>
    public Artifact<CommandOutputs> Runs(CommandSpec spec, params Artifact[] after)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(after);
        foreach (string problem in CommandValidation.Check(Name, spec))
        {
            _owner.AddProblem(problem);
        }

        var inputs = new List<Artifact>(after);
        foreach (string path in spec.Inputs.Where(ProjectRelativePath.IsInside).Distinct(StringComparer.Ordinal))
        {
            inputs.Add(new Artifact<ProjectFile>(_owner, ArtifactSource.File, path));
        }

        // Only the declared codes are transient, plus whatever the step's own RetryOn/RetryWhen adds.
        Func<Exception, bool>? previous = _isTransient;
        _isTransient = e => e is CommandFailedException { IsTransient: true } || (previous?.Invoke(e) ?? false);
        Artifact<CommandOutputs> artifact = Define<CommandOutputs>([.. inputs], spec, static (work, ctx, _) => CommandStep.InvokeAsync((CommandSpec)work, ctx));
        Definition = Definition!.With(Definition.Inputs, spec);
        return artifact;
    }

    /// <summary>Replaces the step's inputs once every step is known: a declared input file another step produces becomes an edge to it.</summary>
    internal void Relink(IReadOnlyList<Artifact> inputs) => Definition = Definition!.With(inputs, Definition.Command);
}
