namespace Sluice.Definitions;

/// <summary>Declares one step: its options first, then its work with <c>Executes</c> or <c>Uses</c>, which returns the output artifact.</summary>
public sealed partial class StepBuilder
{
    private readonly PipelineBuilder _owner;
    private List<string>? _after;
    private RetryOptions? _retry;
    private string _version = "1";
    private TimeSpan? _timeout;
    private string? _publishPath;
    private Func<Exception, bool>? _isTransient;

    internal StepBuilder(PipelineBuilder owner, string name, int index)
    {
        _owner = owner;
        Name = name;
        Index = index;
    }

    /// <summary>Gets the step's name.</summary>
    public string Name { get; }

    internal int Index { get; }

    internal StepDefinition? Definition { get; private set; }

    /// <summary>Makes the step wait for the named steps without taking their output (order-only edges).</summary>
    public StepBuilder After(params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        CheckNotDefined(nameof(After));
        (_after ??= []).AddRange(steps);
        return this;
    }

    /// <summary>Makes the step wait for the steps producing the given artifacts without taking their values.</summary>
    public StepBuilder After(params Artifact[] artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        CheckNotDefined(nameof(After));
        foreach (Artifact artifact in artifacts)
        {
            if (artifact.Source == ArtifactSource.Step)
            {
                (_after ??= []).Add(artifact.Name);
            }
        }

        return this;
    }

    /// <summary>Declares the step's version; bump it when the step's logic changes so earlier results are not reused.</summary>
    public StepBuilder Version(string version)
    {
        CheckNotDefined(nameof(Version));
        _version = version;
        return this;
    }

    /// <summary>Configures how failed attempts are retried.</summary>
    public StepBuilder WithRetry(Action<RetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        CheckNotDefined(nameof(WithRetry));
        configure(_retry ??= new RetryOptions());
        return this;
    }

    /// <summary>Cancels an attempt that runs longer than <paramref name="timeout"/>; the attempt then counts as a transient failure.</summary>
    public StepBuilder WithTimeout(TimeSpan timeout)
    {
        CheckNotDefined(nameof(WithTimeout));
        _timeout = timeout;
        return this;
    }

    /// <summary>Retries only exceptions of type <typeparamref name="TException"/> (and others named the same way).</summary>
    public StepBuilder RetryOn<TException>()
        where TException : Exception
    {
        CheckNotDefined(nameof(RetryOn));
        Func<Exception, bool>? previous = _isTransient;
        _isTransient = e => e is TException || (previous?.Invoke(e) ?? false);
        return this;
    }

    /// <summary>Retries only exceptions for which <paramref name="isTransient"/> returns <see langword="true"/>.</summary>
    public StepBuilder RetryWhen(Func<Exception, bool> isTransient)
    {
        ArgumentNullException.ThrowIfNull(isTransient);
        CheckNotDefined(nameof(RetryWhen));
        Func<Exception, bool>? previous = _isTransient;
        _isTransient = e => isTransient(e) || (previous?.Invoke(e) ?? false);
        return this;
    }

    /// <summary>Publishes the step's output under a project-relative path such as <c>data/prices_clean.json</c>.</summary>
    public StepBuilder Publish(string path)
    {
        CheckNotDefined(nameof(Publish));
        _publishPath = path;
        return this;
    }

    // The definition is frozen when the work is set; an option after that would be silently lost.
    private void CheckNotDefined(string option)
    {
        if (Definition is not null)
        {
            _owner.AddProblem($"Step '{Name}' calls {option}(...) after its work is set, where it has no effect: call it before Executes(...) or Uses(...).");
        }
    }

    private Artifact<TOut> Define<TOut>(Artifact[] inputs, object work, StepInvoker invoke)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Definition is not null)
        {
            _owner.AddProblem($"Step '{Name}' has its work set twice: call Executes or Uses once per step.");
        }

        foreach (Artifact input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!ReferenceEquals(input.Owner, _owner))
            {
                _owner.AddProblem($"Step '{Name}' takes {input} from another pipeline: pass artifacts of this pipeline only.");
            }
        }

        // Options are allocated only for a step that configures them: the defaults are valid, and a large pipeline has many steps.
        foreach (string problem in _retry?.Validate(Name) ?? [])
        {
            _owner.AddProblem(problem);
        }

        if (_timeout is { } t && t <= TimeSpan.Zero)
        {
            _owner.AddProblem($"Step '{Name}' has timeout {t}: use a positive duration, or no timeout.");
        }

        if (string.IsNullOrWhiteSpace(_version))
        {
            _owner.AddProblem($"Step '{Name}' has an empty version: use a short label such as \"2\".");
        }

        if (_publishPath is not null && !IsProjectRelative(_publishPath))
        {
            _owner.AddProblem(
                $"Step '{Name}' publishes to '{_publishPath}', which is not inside the project: use a relative path such as 'data/{Name}.json'.");
        }

        Sluice.Artifacts.ArtifactSerializers.Prepare<TOut>();
        Definition = new StepDefinition(
            Name,
            Index,
            inputs,
            _after is null ? [] : [.. _after],
            _version,
            RetryOptions.ReadOnlyCopy(_retry),
            _timeout,
            _publishPath,
            _isTransient,
            typeof(TOut),
            work,
            invoke);
        return new Artifact<TOut>(_owner, ArtifactSource.Step, Name);
    }

    private static bool IsProjectRelative(string path)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.StartsWith('\\') || path.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        return !path.Split('/', '\\').Any(segment => segment == "..");
    }
}
