using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Sluice.Artifacts;
using Sluice.Planning;

namespace Sluice.Definitions;

/// <summary>Collects the steps and parameters of a pipeline; <see cref="Build"/> validates them all at once.</summary>
public sealed partial class PipelineBuilder
{
    private readonly List<StepBuilder> _steps = [];
    private readonly List<ParameterDefinition> _parameters = [];
    private readonly List<string> _problems = [];
    private readonly List<FileSetDefinition> _fileSets = [];
    private readonly ArtifactSerializers _serializers = new();
    private readonly List<PipelineSetting> _settings = [];

    internal PipelineBuilder(string name)
    {
        Name = name;
    }

    /// <summary>Gets the pipeline's name.</summary>
    public string Name { get; }

    /// <summary>Starts declaring a step; finish it with <c>Executes</c> or <c>Uses</c>.</summary>
    public StepBuilder Step(string name)
    {
        var step = new StepBuilder(this, name, _steps.Count);
        _steps.Add(step);
        return step;
    }

    /// <summary>Binds the configuration section <paramref name="section"/> to <typeparamref name="T"/> at start-up; the value is an input like any artifact.</summary>
    /// <remarks>Unknown keys, values of the wrong type and failed data annotations are reported before anything runs.</remarks>
    public Artifact<T> Parameters<[DynamicallyAccessedMembers(ParameterDefinition.Members)] T>(string section)
        where T : class, new()
    {
        ParameterDefinition? existing = _parameters.FirstOrDefault(p => p.Section == section);
        if (existing is not null && existing.Type != typeof(T))
        {
            AddProblem($"Parameters '{section}' are bound twice, as {existing.Type.Name} and as {typeof(T).Name}: bind each section to one type.");
        }
        else if (existing is null)
        {
            _parameters.Add(new ParameterDefinition(section, typeof(T)));
        }

        return new Artifact<T>(this, ArtifactSource.Parameters, section);
    }

    /// <summary>Declares a project file a step reads; a change to its bytes re-runs the steps that take it.</summary>
    /// <remarks>Sluice cannot see what a step reads on its own: files passed this way are hashed into the step's fingerprint.</remarks>
    public Artifact<ProjectFile> File(string relativePath)
    {
        string normalized = ProjectRelativePath.Normalize(relativePath);
        if (!ProjectRelativePath.IsInside(normalized))
        {
            AddProblem($"File input '{relativePath}' is not inside the project: use a relative path such as 'data/prices.csv'.");
        }

        return new Artifact<ProjectFile>(this, ArtifactSource.File, normalized);
    }

    /// <summary>Declares the project files a step reads as chosen by its settings (for example the CSV files a list of sources names); a change to any file's bytes re-runs the steps that take the set.</summary>
    /// <remarks>The paths are chosen once at start-up, after <paramref name="parameters"/> are bound; a path outside the project is reported then, with the other configuration problems.</remarks>
    /// <param name="name">The file set's name, shown in plans and fingerprints (for example <c>sources</c>).</param>
    /// <param name="parameters">The parameters section the paths come from.</param>
    /// <param name="select">Chooses the project-relative paths from the bound settings.</param>
    public Artifact<ProjectFiles> Files<T>(string name, Artifact<T> parameters, Func<T, IEnumerable<string>> select)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(select);
        if (parameters.Source != ArtifactSource.Parameters)
        {
            AddProblem($"File set '{name}' is chosen from {parameters}, which is not a parameters section: pass the artifact p.Parameters<T>() returns.");
        }

        if (!NamePattern().IsMatch(name ?? ""))
        {
            AddProblem($"File set name '{name}' is not valid: use lower-case letters, digits and '-', starting with a letter.");
        }
        else if (_fileSets.Any(f => f.Name == name))
        {
            AddProblem($"File set name '{name}' is declared twice: give each file set its own name.");
        }

        var definition = new FileSetDefinition(name ?? "", parameters.Name, value => select((T)value));
        _fileSets.Add(definition);
        return new Artifact<ProjectFiles>(this, ArtifactSource.FileSet, definition.Name, definition);
    }

    /// <summary>Registers how artifacts of type <typeparamref name="T"/> are written and read, instead of the JSON default.</summary>
    /// <remarks>Strings are written as UTF-8 text without registration, so a step returning a report publishes it as it is.</remarks>
    public PipelineBuilder Serializer<T>(IArtifactSerializer<T> serializer)
    {
        _serializers.Register(serializer);
        return this;
    }

    /// <summary>Adds compile-time JSON contracts for the pipeline's artifact types (a source-generated <c>JsonSerializerContext</c>): required in a Native AOT build, where there is no reflection serializer; the bytes are the same either way.</summary>
    public PipelineBuilder JsonTypes(IJsonTypeInfoResolver resolver)
    {
        _serializers.AddJsonTypes(resolver);
        return this;
    }

    /// <summary>Binds the configuration section named after <typeparamref name="T"/> (without a trailing "Settings" or "Options").</summary>
    public Artifact<T> Parameters<[DynamicallyAccessedMembers(ParameterDefinition.Members)] T>()
        where T : class, new() => Parameters<T>(DefaultSection(typeof(T)));

    internal void AddProblem(string problem) => _problems.Add(problem);

    /// <summary>Gives a configuration key a value carried by the definition itself, the lowest layer beneath <c>config/appsettings.json</c>; <paramref name="source"/> says where it was declared (<c>sluice.yaml:12:5</c>).</summary>
    /// <remarks>How a pipeline file declares Sluice's settings (a schedule, alert sinks) next to its steps; every later layer still overrides it. Values here are committed with the definition, so a secret key set here is refused at start-up.</remarks>
    public PipelineBuilder Setting(string key, string value, string? source = null)
    {
        if (string.IsNullOrWhiteSpace(key) || key.StartsWith(':') || key.EndsWith(':'))
        {
            _problems.Add($"Setting key '{key}' is not a configuration key: give one such as 'Sluice:Alerts:Schedule:Cron' (sections joined with ':').");
        }
        else
        {
            _settings.Add(new PipelineSetting(key, value ?? "", source));
        }

        return this;
    }

    /// <summary>Validates the definition and returns the immutable pipeline, or throws one exception listing every problem.</summary>
    public Pipeline Build()
    {
        var problems = new List<string>(_problems);
        LinkCommandFiles(problems);
        if (!NamePattern().IsMatch(Name))
        {
            problems.Add($"Pipeline name '{Name}' is not valid: use lower-case letters, digits and '-', starting with a letter.");
        }

        var byName = new Dictionary<string, StepDefinition>(_steps.Count, StringComparer.Ordinal);
        var steps = new List<StepDefinition>(_steps.Count);
        foreach (StepBuilder step in _steps)
        {
            if (!NamePattern().IsMatch(step.Name))
            {
                problems.Add($"Step name '{step.Name}' is not valid: use lower-case letters, digits and '-', starting with a letter (for example '{Suggest(step.Name)}').");
            }

            if (step.Definition is null)
            {
                problems.Add($"Step '{step.Name}' has no work: finish its declaration with Executes(...) or Uses(...).");
                continue;
            }

            if (!byName.TryAdd(step.Name, step.Definition))
            {
                problems.Add($"Step name '{step.Name}' is declared twice: give each step its own name.");
                continue;
            }

            // Builders are in declaration order, so the steps are too.
            steps.Add(step.Definition);
        }

        foreach (StepDefinition step in steps)
        {
            // Indexed: a foreach over the IReadOnlyList would make an enumerator per step.
            for (int k = 0; k < step.After.Count; k++)
            {
                string dependency = step.After[k];
                if (dependency == step.Name)
                {
                    problems.Add($"Step '{step.Name}' runs after itself: remove '{dependency}' from its After(...).");
                }
                else if (!byName.ContainsKey(dependency))
                {
                    string? guess = Spelling.Closest(dependency, byName.Keys);
                    string hint = guess is null ? "Check the name in After(...)." : $"Did you mean '{guess}'?";
                    problems.Add($"Step '{step.Name}' runs after '{dependency}', which does not exist. {hint}");
                }
            }
        }

        // One pass gives the topological order the graph needs; the cycle search runs only when there is none.
        GraphShape shape = GraphShape.Of(steps);
        foreach (IReadOnlyList<string> cycle in PipelineGraph.FindCycles(steps, shape))
        {
            problems.Add($"Dependency cycle: {string.Join(" -> ", cycle)}");
        }

        foreach (StepDefinition step in steps)
        {
            if (_serializers.Problem(step.OutputType) is { } problem)
            {
                problems.Add($"Step '{step.Name}' returns {step.OutputType.Name}, which cannot be stored: {problem}");
            }
        }

        if (problems.Count > 0)
        {
            throw new PipelineDefinitionException(Name, problems);
        }

        return new Pipeline(Name, [.. steps], [.. _parameters], byName) { FileSets = [.. _fileSets], Serializers = _serializers, Shape = shape, Settings = [.. _settings] };
    }

    internal static string DefaultSection(Type type)
    {
        string name = type.Name;
        foreach (string suffix in (string[])["Settings", "Options", "Parameters"])
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static string Suggest(string name)
    {
        string lowered = Regex.Replace(name.Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return lowered.Length > 0 && char.IsAsciiLetter(lowered[0]) ? lowered : "step-" + lowered;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
