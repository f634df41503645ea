namespace Sluice.Definitions;

/// <summary>A handle to a value a pipeline produces: a step's output or a bound parameter section.</summary>
/// <remarks>Passing an artifact to a step is what makes the dependency edge; the compiler checks the wiring.</remarks>
public abstract class Artifact
{
    private protected Artifact(PipelineBuilder owner, ArtifactSource source, string name, Type valueType, FileSetDefinition? fileSet)
    {
        Owner = owner;
        FileSet = fileSet;
        Source = source;
        Name = name;
        ValueType = valueType;
    }

    /// <summary>Gets whether the value comes from a step or from configuration.</summary>
    public ArtifactSource Source { get; }

    /// <summary>Gets the producing step's name, or the configuration section for parameters.</summary>
    public string Name { get; }

    /// <summary>Gets the CLR type of the value.</summary>
    public Type ValueType { get; }

    internal PipelineBuilder Owner { get; }

    /// <summary>Gets how a file set's paths are chosen, for <see cref="ArtifactSource.FileSet"/> artifacts.</summary>
    internal FileSetDefinition? FileSet { get; }

    /// <summary>Returns a readable description such as <c>step 'clean'</c>.</summary>
    public override string ToString() => Source switch
    {
        ArtifactSource.Step => $"step '{Name}'",
        ArtifactSource.File => $"file '{Name}'",
        ArtifactSource.FileSet => $"files '{Name}'",
        _ => $"parameters '{Name}'",
    };
}

/// <summary>A typed handle to a value of type <typeparamref name="T"/> that a pipeline produces.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
public sealed class Artifact<T> : Artifact
{
    internal Artifact(PipelineBuilder owner, ArtifactSource source, string name, FileSetDefinition? fileSet = null)
        : base(owner, source, name, typeof(T), fileSet)
    {
    }
}

/// <summary>Where an artifact's value comes from.</summary>
public enum ArtifactSource
{
    /// <summary>The output of a step.</summary>
    Step,

    /// <summary>A typed section of configuration, bound and validated at start-up.</summary>
    Parameters,

    /// <summary>A file of the project that a step reads; its content hash is part of the step's fingerprint.</summary>
    File,

    /// <summary>Project files chosen from a parameters section at start-up; each file's content hash is part of the step's fingerprint.</summary>
    FileSet,
}
