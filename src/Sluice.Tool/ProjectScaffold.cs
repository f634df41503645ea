namespace Sluice.Tool;

/// <summary><c>sluice init [DIR]</c>: writes a new project's layout with a small working pipeline of shell scripts; never overwrites a file.</summary>
internal static class ProjectScaffold
{
    /// <summary>Gets the folders of a project, created even when they hold no file yet.</summary>
    public static readonly string[] Folders = ["config", "src", "scripts", "jobs", "data", "logs", "reports"];

    /// <summary>Gets the files written, as project-relative path and content.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files(string name) =>
    [
        new("sluice.yaml", Pipeline(name)),
        new("README.md", Readme(name)),
        new(".gitignore", GitIgnore),
        new("config/appsettings.json", AppSettings),
        new("scripts/fetch.sh", Fetch),
        new("scripts/clean.sh", Clean),
        new("scripts/report.sh", Report),
        new("data/.gitkeep", ""),
        new("src/.gitkeep", ""),
        new("jobs/.gitkeep", ""),
        new("reports/.gitkeep", ""),
    ];

    /// <summary>Runs the command; returns 0 when written, 2 for bad arguments or when a file would be overwritten (then nothing is written).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 1 || (args.Length == 1 && args[0].StartsWith('-')))
        {
            bool help = args.Length == 1 && args[0] is "-h" or "--help";
            (help ? output : error).Write("usage: sluice init [DIR]\n  Creates config/ src/ scripts/ jobs/ data/ logs/ reports/, sluice.yaml, README.md and .gitignore in DIR (default: the current folder).\n  Refuses to overwrite any existing file.\n");
            return help ? 0 : 2;
        }

        string root = Path.GetFullPath(args.Length == 1 ? args[0] : ".");
        string name = ProjectName(Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)));
        IReadOnlyList<KeyValuePair<string, string>> files = Files(name);

        // Check every file before writing any, so a refusal leaves the folder exactly as it was.
        var existing = files.Select(f => f.Key).Where(f => Path.Exists(Path.Combine(root, f))).ToList();
        if (existing.Count > 0)
        {
            error.Write($"error: sluice init would overwrite {existing.Count} existing file(s) in {root}; nothing was written:\n");
            foreach (string file in existing)
            {
                error.Write($"  {file}\n");
            }

            error.Write("Move them away or choose an empty folder: sluice init DIR\n");
            return 2;
        }

        foreach (string folder in Folders)
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        foreach ((string path, string content) in files)
        {
            // CreateNew: a file that appeared since the check is still never overwritten.
            using var stream = new FileStream(Path.Combine(root, path), FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(content);
        }

        output.Write($"Created project '{name}' in {root}.\nNext: cd {Path.GetRelativePath(Directory.GetCurrentDirectory(), root)} && sluice plan && sluice run\n");
        return 0;
    }

    /// <summary>Turns a folder name into a valid pipeline name (lower-case letters, digits and '-').</summary>
    internal static string ProjectName(string folder)
    {
        var chars = folder.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        string name = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return name.Length > 0 && char.IsAsciiLetter(name[0]) ? name : "project" + (name.Length > 0 ? "-" + name : "");
    }

    private static string Pipeline(string name) => $$"""
        # The pipeline Sluice runs: `sluice plan` shows what would run and why, `sluice run` runs it.
        # Each step runs a program (no shell: `run` is a list, program first). It writes each output to
        # {out:N} (a staging path); Sluice publishes the files after the step succeeds. A step whose input
        # is another step's output runs after it. A step re-runs only when its command, inputs or version change.
        # Schedules and alerts are settings: see Sluice:Alerts in config/appsettings.json.
        pipeline: {{name}}

        steps:
          fetch:
            run: [sh, scripts/fetch.sh, "{out:0}"]
            outputs: [data/raw.csv]
            retry: { attempts: 3, delay: 2s }
            timeout: 1m
            transient_exit_codes: [75]

          clean:
            run: [sh, scripts/clean.sh, "{in:0}", "{out:0}"]
            inputs: [data/raw.csv]
            outputs: [data/clean.csv]

          report:
            run: [sh, scripts/report.sh, "{in:0}", "{out:0}"]
            inputs: [data/clean.csv]
            outputs: [reports/summary.txt]
            env: { TITLE: "Daily summary" }
            version: "1"

        """;

    private static string Readme(string name) => $"""
        # {name}

        A data pipeline run by Sluice from `sluice.yaml`.

        ```sh
        sluice plan      # what would run, and why
        sluice run       # run what changed; reuse the rest
        sluice runs      # past runs
        sluice logs      # the last run's logs
        sluice graph     # the steps and their edges
        ```

        | Folder     | Holds                                                             |
        |------------|-------------------------------------------------------------------|
        | `config/`  | `appsettings.json` (settings), `secrets.json` (never committed)   |
        | `scripts/` | the programs the steps run                                        |
        | `src/`     | code the scripts share                                            |
        | `jobs/`    | one-off or scheduled job definitions                              |
        | `data/`    | data the pipeline reads and writes                                |
        | `reports/` | what the pipeline produces for people                             |
        | `logs/`    | run logs (not committed)                                          |
        | `.sluice/` | Sluice's state: the run store and stored outputs (not committed)  |

        A step writes its outputs to the `{"{out:N}"}` paths it is given; Sluice publishes them only when
        the step succeeds, so a failed run never leaves half-written files behind.

        """;

    private const string GitIgnore = """
        # Sluice's state (run store, stored outputs, staging) and run logs are per machine.
        .sluice/
        logs/
        # Secrets never go into version control.
        config/secrets.json

        """;

    private const string AppSettings = """
        {
          "Sluice": {
          }
        }

        """;

    private const string Fetch = """
        #!/bin/sh
        # Writes the raw data to $1, the staging path Sluice gives the step's output.
        set -eu
        printf 'day,value\n2024-01-01,10\n2024-01-02,12\n2024-01-03,\n2024-01-04,15\n' > "$1"

        """;

    private const string Clean = """
        #!/bin/sh
        # Drops rows with a missing value: reads $1, writes $2.
        set -eu
        awk -F, 'NR == 1 || $2 != ""' "$1" > "$2"

        """;

    private const string Report = """
        #!/bin/sh
        # Summarises the clean data: reads $1, writes $2.
        set -eu
        awk -F, -v title="$TITLE" 'NR > 1 { n++; sum += $2 } END { printf "%s\nrows: %d\nmean: %.2f\n", title, n, sum / n }' "$1" > "$2"

        """;
}
