using Sluice.Definitions;

namespace Sluice.Yaml;

/// <summary>One step as read from the file, before it is declared on the builder; <see cref="Key"/> locates it for messages.</summary>
internal sealed class YamlStep(YamlScalar key)
{
    /// <summary>Gets the step's key in the file (its name and position).</summary>
    public YamlScalar Key { get; } = key;

    /// <summary>Gets or sets the program and its arguments; empty when <c>run</c> was missing or wrong (a problem is recorded).</summary>
    public IReadOnlyList<string> Run { get; set; } = [];

    /// <summary>Gets or sets the project-relative working folder.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Gets the declared environment variables, in file order: a value, or the setting a secret value is read from.</summary>
    public List<(string Name, string Value, string? Setting)> Environment { get; } = [];

    /// <summary>Gets the declared input files.</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>Gets the declared output files.</summary>
    public List<string> Outputs { get; } = [];

    /// <summary>Gets the steps this one runs after.</summary>
    public List<string> After { get; } = [];

    /// <summary>Gets the exit codes retried as transient.</summary>
    public List<int> TransientExitCodes { get; } = [];

    /// <summary>Gets or sets the step's version, or null.</summary>
    public string? Version { get; set; }

    /// <summary>Gets or sets the retry policy, or null for none.</summary>
    public RetryOptions? Retry { get; set; }

    /// <summary>Gets or sets the timeout of one attempt, or null for none.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Declares the step on <paramref name="pipeline"/>; a step whose <c>run</c> was invalid still gets declared (running <c>true</c>) so that edges and cycles are still checked.</summary>
    public void Declare(PipelineBuilder pipeline)
    {
        StepBuilder step = pipeline.Step(Key.Value);
        if (Version is not null)
        {
            step.Version(Version);
        }

        if (Retry is { } retry)
        {
            step.WithRetry(r =>
            {
                r.MaxAttempts = retry.MaxAttempts;
                r.Delay = retry.Delay;
                r.MaxDelay = retry.MaxDelay;
                r.Backoff = retry.Backoff;
                r.UseJitter = retry.UseJitter;
            });
        }

        if (Timeout is { } timeout)
        {
            step.WithTimeout(timeout);
        }

        if (After.Count > 0)
        {
            step.After([.. After]);
        }

        string program = Run.Count > 0 ? Run[0] : "true";
        step.Runs(c =>
        {
            c.Run(program, [.. Run.Skip(1)]);
            if (WorkingDirectory is not null)
            {
                c.WorkingDirectory(WorkingDirectory);
            }

            foreach ((string name, string value, string? setting) in Environment)
            {
                if (setting is null)
                {
                    c.Env(name, value);
                }
                else
                {
                    c.SecretEnvFromSetting(name, setting);
                }
            }

            c.Inputs([.. Inputs]).Outputs([.. Outputs]).TransientExitCodes([.. TransientExitCodes]);
        });
    }
}
