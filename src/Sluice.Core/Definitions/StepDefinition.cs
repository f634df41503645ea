using Sluice.Execution;

namespace Sluice.Definitions;

/// <summary>One immutable, validated step of a <see cref="Pipeline"/>.</summary>
public sealed class StepDefinition
{
    internal StepDefinition(
        string name,
        int index,
        IReadOnlyList<Artifact> inputs,
        IReadOnlyList<string> after,
        string version,
        RetryOptions retry,
        TimeSpan? timeout,
        string? publishPath,
        Func<Exception, bool>? isTransient,
        Type outputType,
        object work,
        StepInvoker invoke)
    {
        Name = name;
        Index = index;
        InputArray = inputs as Artifact[] ?? [.. inputs];
        Inputs = InputArray;
        After = after;
        Version = version;
        Retry = retry;
        Timeout = timeout;
        PublishPath = publishPath;
        IsTransient = isTransient;
        OutputType = outputType;
        Work = work;
        Invoke = invoke;
        DependencyNames = DistinctDependencies(InputArray, after);
    }

    /// <summary>Gets the step's name, unique in its pipeline.</summary>
    public string Name { get; }

    /// <summary>Gets the position at which the step was declared; ties in topological order break by it.</summary>
    public int Index { get; }

    /// <summary>Gets the artifacts the step consumes, in the order its delegate takes them.</summary>
    public IReadOnlyList<Artifact> Inputs { get; }

    /// <summary>Gets <see cref="Inputs"/> as the array it is: a loop over an array makes no enumerator, and planning loops over every step's inputs several times.</summary>
    internal Artifact[] InputArray { get; }

    /// <summary>Gets the steps that must finish first without passing an artifact (order-only edges).</summary>
    public IReadOnlyList<string> After { get; }

    /// <summary>Gets the declared version; changing it invalidates earlier results of the step.</summary>
    public string Version { get; }

    /// <summary>Gets the retry policy, read-only (<see cref="RetryOptions.IsReadOnly"/>).</summary>
    public RetryOptions Retry { get; }

    /// <summary>Gets the per-attempt timeout, or <see langword="null"/> for none.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Gets the project-relative path the output is published under, if any.</summary>
    public string? PublishPath { get; }

    /// <summary>Gets the step's own test of which exceptions are transient, or <see langword="null"/> to treat all but data-validation failures as transient.</summary>
    public Func<Exception, bool>? IsTransient { get; }

    /// <summary>Gets the CLR type of the step's output.</summary>
    public Type OutputType { get; }

    /// <summary>Gets the names of every step this one depends on: producers of its inputs, then order-only edges.</summary>
    public IEnumerable<string> Dependencies => field ??= Array.AsReadOnly(DependencyNames);

    /// <summary>Gets <see cref="Dependencies"/>, computed once: graphs of every command read it for every step.</summary>
    internal string[] DependencyNames { get; }

    /// <summary>Gets what the user gave as the step's work (its delegate, or a command's spec), which <see cref="Invoke"/> is called with.</summary>
    internal object Work { get; }

    internal StepInvoker Invoke { get; }

    /// <summary>Gets what the step runs when it is a command step, or <see langword="null"/> for a C# step.</summary>
    public CommandSpec? Command { get; private init; }

    internal StepDefinition With(IReadOnlyList<Artifact> inputs, CommandSpec? command) =>
        new(Name, Index, inputs, After, Version, Retry, Timeout, PublishPath, IsTransient, OutputType, Work, Invoke) { Command = command };

    // Indexed loops: a foreach over an IReadOnlyList makes an enumerator object, and this runs for every step of
    // every pipeline built, 10,000 times on each start of a 10,000-step pipeline.
    private static string[] DistinctDependencies(Artifact[] inputs, IReadOnlyList<string> after)
    {
        int count = after.Count;
        foreach (Artifact input in inputs)
        {
            count += input.Source == ArtifactSource.Step ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        // A set only where a linear scan could cost: a sink after thousands of steps.
        var names = new string[count];
        HashSet<string>? seen = count > 8 ? new HashSet<string>(count, StringComparer.Ordinal) : null;
        int found = 0;
        foreach (Artifact input in inputs)
        {
            if (input.Source == ArtifactSource.Step)
            {
                Add(input.Name);
            }
        }

        for (int i = 0; i < after.Count; i++)
        {
            Add(after[i]);
        }

        return found == names.Length ? names : names[..found];

        void Add(string name)
        {
            if (seen is null ? Array.IndexOf(names, name, 0, found) < 0 : seen.Add(name))
            {
                names[found++] = name;
            }
        }
    }

    /// <summary>Returns the step's name.</summary>
    public override string ToString() => Name;
}

/// <summary>Runs a step's work (<see cref="StepDefinition.Work"/>) on its resolved input values.</summary>
internal delegate Task<object?> StepInvoker(object work, StepContext context, object?[] inputs);
