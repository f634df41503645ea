using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Definitions;

namespace Sluice.Yaml;

/// <summary>Reads a <c>sluice.yaml</c> into a validated <see cref="Pipeline"/> of command steps; every problem names <c>file:line:column</c> and the key.</summary>
/// <remarks>The format is described in docs/file-formats.md ("sluice.yaml"). All problems are collected and thrown at once, before anything runs.</remarks>
public static partial class YamlPipeline
{
    /// <summary>Gets the file name looked for in a project folder.</summary>
    public const string DefaultFileName = "sluice.yaml";

    private static readonly string[] TopKeys = ["pipeline", "steps", "schedule", "alerts"];
    private static readonly string[] StepKeys = ["run", "workdir", "env", "inputs", "outputs", "after", "retry", "timeout", "transient_exit_codes", "version"];
    private static readonly string[] SecretKeys = ["secret"];
    private static readonly string[] RetryKeys = ["attempts", "delay", "backoff", "max_delay", "jitter"];

    /// <summary>Reads the pipeline file at <paramref name="path"/>; <paramref name="displayName"/> is how messages name it (default: the path as given).</summary>
    /// <exception cref="PipelineDefinitionException">The file is missing, too large or invalid; the exception lists every problem.</exception>
    public static Pipeline Load(string path, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = displayName ?? path;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new PipelineDefinitionException($"{name}: no pipeline file here. Create one with 'sluice init', or point to it with --file or --project-dir.");
        }

        // Checked before reading, so a huge file is never loaded into memory; UTF-8 has at least one byte per character.
        if (info.Length > YamlDocumentReader.MaxLength * 4L)
        {
            throw new PipelineDefinitionException($"{name}:1:1: the file has {info.Length} bytes, far more than a pipeline needs (limit {YamlDocumentReader.MaxLength} characters).");
        }

        return Parse(File.ReadAllText(path, Encoding.UTF8), name);
    }

    /// <summary>Reads pipeline text; <paramref name="fileName"/> is how messages name its source.</summary>
    /// <exception cref="PipelineDefinitionException">The text is invalid; the exception lists every problem.</exception>
    public static Pipeline Parse(string text, string fileName = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new YamlProblems(fileName);
        YamlNode? root = YamlDocumentReader.Read(text, problems);
        if (root is null)
        {
            if (!problems.Any)
            {
                problems.Add(1, 1, "", "the file is empty: it needs 'pipeline: <name>' and 'steps:' (run 'sluice init' for an example).");
            }

            throw new PipelineDefinitionException(fileName, problems.ToList());
        }

        string pipelineName = fileName;
        YamlNode pipelineAt = root;
        var steps = new List<YamlStep>();
        if (root is not YamlMapping top)
        {
            problems.Add(root, "", $"expected a map with 'pipeline' and 'steps', found {root.Kind}.");
            throw new PipelineDefinitionException(fileName, problems.ToList());
        }

        CheckKeys(top, "", TopKeys, problems);
        if (Required(top, "pipeline", "", problems) is { } nameNode && Text(nameNode, "pipeline", problems) is { } name)
        {
            pipelineName = name;
            pipelineAt = nameNode;
        }

        if (Required(top, "steps", "", problems) is { } stepsNode)
        {
            if (stepsNode is not YamlMapping stepMap)
            {
                problems.Add(stepsNode, "steps", $"expected a map of step names to steps, found {stepsNode.Kind}.");
            }
            else if (stepMap.Entries.Count == 0)
            {
                problems.Add(stepsNode, "steps", "no steps: declare at least one, for example 'hello: { run: [echo, hello] }'.");
            }
            else
            {
                steps.AddRange(stepMap.Entries.Select(e => ReadStep(e.Key, e.Value, problems)));
            }
        }

        var settings = new List<YamlSettings.Setting>();
        foreach ((YamlScalar key, YamlNode value) in top.Entries)
        {
            if (key.Value == "schedule")
            {
                YamlSettings.ReadSchedule(value, problems, settings);
            }
            else if (key.Value == "alerts")
            {
                YamlSettings.ReadAlerts(value, problems, settings);
            }
        }

        Pipeline? pipeline = null;
        try
        {
            // Without a usable name the steps are still checked, under a stand-in name that itself raises no problem.
            string defined = ReferenceEquals(pipelineAt, root) ? "unnamed" : pipelineName;
            pipeline = Pipeline.Define(defined, p =>
            {
                steps.ForEach(s => s.Declare(p));
                foreach (YamlSettings.Setting setting in settings)
                {
                    p.Setting(setting.Key, setting.Value, $"{fileName}:{setting.At.Line}:{setting.At.Column}");
                }
            });
        }
        catch (PipelineDefinitionException e)
        {
            // The builder's problems (names, edges, cycles) speak of steps: point each at its step in the file.
            foreach (string problem in e.Problems)
            {
                (YamlNode at, string key) = Locate(problem, steps, pipelineAt);
                problems.Add(at, key, problem);
            }
        }

        return problems.Any || pipeline is null ? throw new PipelineDefinitionException(pipelineName, problems.ToList()) : pipeline;
    }

    private static YamlStep ReadStep(YamlScalar key, YamlNode value, YamlProblems problems)
    {
        var step = new YamlStep(key);
        string at = $"steps.{key.Value}";
        if (value is not YamlMapping map)
        {
            problems.Add(value, at, $"expected a map of step keys ({string.Join(", ", StepKeys)}), found {value.Kind}.");
            return step;
        }

        CheckKeys(map, at, StepKeys, problems);
        if (Required(map, "run", at, problems, key) is { } run)
        {
            step.Run = ReadRun(run, at + ".run", problems);
        }

        foreach ((YamlScalar k, YamlNode v) in map.Entries)
        {
            string path = $"{at}.{k.Value}";
            switch (k.Value)
            {
                case "workdir":
                    step.WorkingDirectory = Text(v, path, problems);
                    break;
                case "version":
                    step.Version = Text(v, path, problems);
                    break;
                case "inputs":
                    step.Inputs.AddRange(Texts(v, path, problems));
                    break;
                case "outputs":
                    step.Outputs.AddRange(Texts(v, path, problems));
                    break;
                case "after":
                    step.After.AddRange(Texts(v, path, problems));
                    break;
                case "transient_exit_codes":
                    step.TransientExitCodes.AddRange(ReadExitCodes(v, path, problems));
                    break;
                case "timeout":
                    step.Timeout = Duration(v, path, problems, positive: true);
                    break;
                case "env":
                    ReadEnvironment(v, path, step, problems);
                    break;
                case "retry":
                    step.Retry = ReadRetry(v, path, problems);
                    break;
            }
        }

        return step;
    }

    private static List<string> ReadRun(YamlNode run, string at, YamlProblems problems)
    {
        if (run is YamlScalar { IsNull: false } line)
        {
            // No shell on purpose: a string would need splitting rules or a shell, and either hides quoting bugs.
            string hint = line.Value.Contains(' ', StringComparison.Ordinal)
                ? $"write it as a list, [{string.Join(", ", line.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))}], or for shell syntax [sh, -c, \"{line.Value}\"]"
                : $"write it as a list, [{line.Value}]";
            problems.Add(run, at, $"expected a list (program, then arguments), found {run.Kind}: {hint}.");
            return [];
        }

        if (run is not YamlSequence { Items.Count: > 0 })
        {
            problems.Add(run, at, $"expected a non-empty list (program, then arguments), found {run.Kind}: for example [python3, scripts/fetch.py, \"{{out:0}}\"].");
            return [];
        }

        return Texts(run, at, problems);
    }

    private static void ReadEnvironment(YamlNode value, string at, YamlStep step, YamlProblems problems)
    {
        if (value is not YamlMapping map)
        {
            problems.Add(value, at, $"expected a map of variable names to values, found {value.Kind}: for example {{ MODE: full }}.");
            return;
        }

        foreach ((YamlScalar name, YamlNode v) in map.Entries)
        {
            if (!EnvironmentName().IsMatch(name.Value))
            {
                problems.Add(name, $"{at}.{name.Value}", "is not a valid variable name: use letters, digits and '_', not starting with a digit.");
            }

            if (v is YamlMapping reference)
            {
                // { secret: Section:Key }: the value is read from the project's configuration when the run starts, never written here.
                string path = $"{at}.{name.Value}";
                CheckKeys(reference, path, SecretKeys, problems);
                if (Required(reference, "secret", path, problems) is { } keyNode && Text(keyNode, path + ".secret", problems) is { } key)
                {
                    step.Environment.Add(new(name.Value, "", key));
                }
            }
            else if (Text(v, $"{at}.{name.Value}", problems) is { } text)
            {
                step.Environment.Add(new(name.Value, text, null));
            }
        }
    }

    private static RetryOptions? ReadRetry(YamlNode value, string at, YamlProblems problems)
    {
        if (value is not YamlMapping map)
        {
            problems.Add(value, at, $"expected a map ({string.Join(", ", RetryKeys)}), found {value.Kind}: for example {{ attempts: 3, delay: 10s }}.");
            return null;
        }

        CheckKeys(map, at, RetryKeys, problems);
        var retry = new RetryOptions();
        if (Required(map, "attempts", at, problems, value) is { } attempts)
        {
            if (attempts is YamlScalar { IsPlain: true } s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
            {
                retry.MaxAttempts = n;
            }
            else
            {
                problems.Add(attempts, at + ".attempts", $"expected a whole number of attempts, 1 or more (the first attempt included), found {attempts.Kind}.");
            }
        }

        foreach ((YamlScalar k, YamlNode v) in map.Entries)
        {
            string path = $"{at}.{k.Value}";
            switch (k.Value)
            {
                case "delay" when Duration(v, path, problems, positive: false) is { } delay:
                    retry.Delay = delay;
                    break;
                case "max_delay" when Duration(v, path, problems, positive: false) is { } max:
                    retry.MaxDelay = max;
                    break;
                case "backoff" when Text(v, path, problems) is { } backoff:
                    if (Enum.TryParse(backoff, ignoreCase: true, out Backoff parsed) && backoff.All(char.IsAsciiLetter))
                    {
                        retry.Backoff = parsed;
                    }
                    else
                    {
                        problems.Add(v, path, $"expected constant, linear or exponential, found '{backoff}'.");
                    }

                    break;
                case "jitter":
                    if (v is YamlScalar { IsPlain: true, Value: "true" or "false" } flag)
                    {
                        retry.UseJitter = flag.Value == "true";
                    }
                    else
                    {
                        problems.Add(v, path, $"expected true or false, found {v.Kind}.");
                    }

                    break;
            }
        }

        if (retry.MaxDelay < retry.Delay)
        {
            problems.Add(map, at, $"max_delay ({retry.MaxDelay}) is shorter than delay ({retry.Delay}): raise max_delay.");
            retry.MaxDelay = retry.Delay;
        }

        return retry;
    }

    private static List<int> ReadExitCodes(YamlNode value, string at, YamlProblems problems)
    {
        var codes = new List<int>();
        if (value is not YamlSequence list)
        {
            problems.Add(value, at, $"expected a list of exit codes, found {value.Kind}: for example [75].");
            return codes;
        }

        foreach (YamlNode item in list.Items)
        {
            if (item is YamlScalar { IsPlain: true } s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code is >= 1 and <= 255)
            {
                codes.Add(code);
            }
            else
            {
                problems.Add(item, at, $"expected an exit code from 1 to 255, found {item.Kind}.");
            }
        }

        return codes;
    }

    private static TimeSpan? Duration(YamlNode value, string at, YamlProblems problems, bool positive)
    {
        if (value is YamlScalar { IsNull: false } s && YamlDuration.TryParse(s.Value, out TimeSpan duration) && (duration > TimeSpan.Zero || (!positive && duration == TimeSpan.Zero)))
        {
            return duration;
        }

        string more = positive ? "more than zero" : "zero or more";
        problems.Add(value, at, $"expected a duration, {more}: {YamlDuration.Forms}; found {value.Kind}.");
        return null;
    }

    private static string? Text(YamlNode value, string at, YamlProblems problems)
    {
        if (value is YamlScalar { IsNull: false } s)
        {
            return s.Value;
        }

        problems.Add(value, at, $"expected a text value, found {value.Kind}.");
        return null;
    }

    private static List<string> Texts(YamlNode value, string at, YamlProblems problems)
    {
        if (value is not YamlSequence list)
        {
            problems.Add(value, at, $"expected a list, found {value.Kind}: write [a, b] or one '- item' per line.");
            return [];
        }

        var texts = new List<string>(list.Items.Count);
        foreach (YamlNode item in list.Items)
        {
            if (Text(item, at, problems) is { } text)
            {
                texts.Add(text);
            }
        }

        return texts;
    }

    private static YamlNode? Required(YamlMapping map, string key, string at, YamlProblems problems, YamlNode? owner = null)
    {
        foreach ((YamlScalar k, YamlNode v) in map.Entries)
        {
            if (k.Value == key)
            {
                return v;
            }
        }

        string path = at.Length == 0 ? key : $"{at}.{key}";
        problems.Add(owner ?? map, path, $"missing required key '{key}'.");
        return null;
    }

    private static void CheckKeys(YamlMapping map, string at, string[] known, YamlProblems problems)
    {
        foreach (YamlScalar key in map.Entries.Select(e => e.Key))
        {
            if (known.Contains(key.Value, StringComparer.Ordinal))
            {
                continue;
            }

            string path = at.Length == 0 ? key.Value : $"{at}.{key.Value}";
            string hint = Spelling.Closest(key.Value, known) is { } guess ? $"Did you mean '{guess}'?" : $"Known keys: {string.Join(", ", known)}.";
            problems.Add(key, path, $"unknown key '{key.Value}'. {hint}");
        }
    }

    private static (YamlNode At, string Key) Locate(string problem, List<YamlStep> steps, YamlNode pipelineAt)
    {
        const string Cycle = "Dependency cycle: ";
        IEnumerable<string> names = problem.StartsWith(Cycle, StringComparison.Ordinal)
            ? problem[Cycle.Length..].Split(" -> ")
            : Quoted().Matches(problem).Select(m => m.Groups[1].Value);
        foreach (string name in names)
        {
            if (steps.Find(s => s.Key.Value == name) is { } step)
            {
                return (step.Key, $"steps.{name}");
            }
        }

        return (pipelineAt, "pipeline");
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
