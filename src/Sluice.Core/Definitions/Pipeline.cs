using Sluice.Artifacts;

namespace Sluice.Definitions;

/// <summary>An immutable, validated DAG of steps.</summary>
public sealed class Pipeline
{
    private readonly Dictionary<string, StepDefinition> _byName;

    internal Pipeline(string name, IReadOnlyList<StepDefinition> steps, IReadOnlyList<ParameterDefinition> parameters, Dictionary<string, StepDefinition>? byName = null)
    {
        Name = name;
        Steps = steps;
        Parameters = parameters;
        _byName = byName ?? steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the pipeline's name.</summary>
    public string Name { get; }

    /// <summary>Gets the steps in declaration order.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; }

    /// <summary>Gets the configuration sections the pipeline binds.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>Gets the configuration values the definition carries (see <see cref="PipelineBuilder.Setting"/>), in declaration order.</summary>
    public IReadOnlyList<PipelineSetting> Settings { get; internal init; } = [];

    /// <summary>Gets how artifacts are serialized: JSON unless a type's serializer was registered.</summary>
    internal ArtifactSerializers Serializers { get; init; } = new();

    /// <summary>Gets the edges and topological order computed when the pipeline was built, for its graph to reuse.</summary>
    internal Planning.GraphShape? Shape { get; init; }

    /// <summary>Gets the steps that run a command, in declaration order: what start-up asks of commands (their settings and secrets) is asked of these, not of every step.</summary>
    internal IReadOnlyList<StepDefinition> CommandSteps => field ??= FindCommandSteps(Steps);

    /// <summary>Gets the file sets whose paths are chosen from parameters at start-up.</summary>
    internal IReadOnlyList<FileSetDefinition> FileSets { get; init; } = [];

    /// <summary>Declares and validates a pipeline; throws <see cref="PipelineDefinitionException"/> listing every problem.</summary>
    public static Pipeline Define(string name, Action<PipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new PipelineBuilder(name);
        configure(builder);
        return builder.Build();
    }

    private static StepDefinition[] FindCommandSteps(IReadOnlyList<StepDefinition> steps)
    {
        List<StepDefinition>? found = null;
        foreach (StepDefinition step in steps)
        {
            if (step.Command is not null)
            {
                (found ??= []).Add(step);
            }
        }

        return found is null ? [] : [.. found];
    }

    /// <summary>Finds a step by name.</summary>
    public bool TryGetStep(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StepDefinition? step) =>
        _byName.TryGetValue(name, out step);

    /// <summary>Gets a step by name.</summary>
    public StepDefinition this[string name] => _byName[name];
}
