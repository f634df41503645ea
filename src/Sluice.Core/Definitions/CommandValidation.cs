using System.Globalization;

namespace Sluice.Definitions;

/// <summary>The checks of one command step's declaration; problems across steps (shared outputs) are found at build.</summary>
internal static class CommandValidation
{
    /// <summary>Returns every problem of <paramref name="spec"/>, each naming the step, the value and the fix.</summary>
    public static IEnumerable<string> Check(string step, CommandSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Program))
        {
            yield return $"Step '{step}' runs an empty program: call Run(\"program\", args...) with a program name such as 'python3'.";
        }

        if (spec.WorkingDirectory is { } folder && !ProjectRelativePath.IsInside(folder))
        {
            yield return $"Step '{step}' has working directory '{folder}', which is not inside the project: use a relative folder such as 'scripts'.";
        }

        foreach (CommandVariable variable in spec.Environment)
        {
            if (string.IsNullOrEmpty(variable.Name) || variable.Name.Contains('=', StringComparison.Ordinal) || variable.Name.Contains('\0', StringComparison.Ordinal))
            {
                yield return $"Step '{step}' sets environment variable '{variable.Name}': a name must be non-empty, without '=' or NUL.";
            }

            if (variable.Setting is { } key && (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':') || key.Contains("::", StringComparison.Ordinal)))
            {
                yield return $"Step '{step}' reads environment variable '{variable.Name}' from the setting '{key}', which is not a configuration key: give one such as 'Fetch:ApiKey' (sections joined with ':').";
            }
        }

        // The checks across a step's own lists run only where a list has two entries or more: at start-up every command
        // step of the pipeline is checked, and most declare one output and no variable (LINQ's groupings and sets were
        // most of a 10,000-step pipeline's definition time).
        foreach (IGrouping<string, CommandVariable> twice in spec.Environment.Count < 2 ? [] : spec.Environment.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Step '{step}' sets environment variable '{twice.Key}' {twice.Count()} times: set it once.";
        }

        foreach (string path in spec.Inputs.Where(p => !ProjectRelativePath.IsInside(p)))
        {
            yield return $"Step '{step}' declares input '{path}', which is not inside the project: use a relative path such as 'data/{step}.csv'.";
        }

        foreach (string path in spec.Outputs)
        {
            if (!ProjectRelativePath.IsInside(path))
            {
                yield return $"Step '{step}' declares output '{path}', which is not inside the project: use a relative path such as 'data/{step}.csv'.";
            }
            else if (path.Split('/')[0] == ".sluice" || path.EndsWith('/'))
            {
                yield return $"Step '{step}' declares output '{path}', which is not a file Sluice may publish: name a file outside '.sluice/', such as 'data/{step}.csv'.";
            }
        }

        foreach (IGrouping<string, string> twice in spec.Outputs.Count < 2 ? [] : spec.Outputs.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Step '{step}' declares output '{twice.Key}' {twice.Count()} times: declare each output once.";
        }

        foreach (string path in spec.Inputs.Count == 0 ? [] : spec.Outputs.Intersect(spec.Inputs, StringComparer.Ordinal))
        {
            yield return $"Step '{step}' declares '{path}' as both input and output: a step cannot read what it publishes; write a new file instead.";
        }

        foreach (string text in spec.Arguments.Concat(spec.Environment.Select(v => v.Value)))
        {
            foreach (string placeholder in text.Contains('{', StringComparison.Ordinal) ? Execution.CommandStep.BadPlaceholders(text, spec.Inputs.Count, spec.Outputs.Count) : [])
            {
                yield return $"Step '{step}' uses {placeholder}, but declares {spec.Inputs.Count} inputs and {spec.Outputs.Count} outputs: placeholders count from 0.";
            }
        }

        foreach (int code in spec.TransientExitCodes.Where(c => c is <= 0 or > 255))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Step '{step}' declares transient exit code {code}: use codes from 1 to 255 (0 is success), such as 75.");
        }
    }
}
