namespace Sluice.Definitions;

/// <summary>Thrown when a pipeline definition or its configuration is invalid; lists every problem at once.</summary>
public sealed class PipelineDefinitionException : Exception
{
    /// <summary>Creates the exception for the given pipeline and problems.</summary>
    public PipelineDefinitionException(string pipeline, IReadOnlyList<string> problems)
        : base(Format(pipeline, problems))
    {
        Pipeline = pipeline;
        Problems = problems;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public PipelineDefinitionException(string message)
        : base(message)
    {
        Pipeline = "";
        Problems = [message];
    }

    /// <summary>Creates the exception with a default message.</summary>
    public PipelineDefinitionException()
        : this("The pipeline definition is invalid.")
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PipelineDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Pipeline = "";
        Problems = [message];
    }

    /// <summary>Gets the name of the pipeline whose definition is invalid.</summary>
    public string Pipeline { get; }

    /// <summary>Gets every problem found, one readable sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string pipeline, IReadOnlyList<string> problems)
    {
        string noun = problems.Count == 1 ? "problem" : "problems";
        return $"{problems.Count} {noun} in pipeline '{pipeline}':{Environment_NewLine}  "
            + string.Join(Environment_NewLine + "  ", problems);
    }

    // The core reads no ambient process state; '\n' is the separator on every platform we print to.
    private const string Environment_NewLine = "\n";
}
