using System.Diagnostics;

namespace Sluice.Yaml.Tests;

/// <summary>The sluice tool as a user runs it: a real child process in a real temporary folder.</summary>
public sealed class SluiceToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sluice-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Init_ThenRun_SucceedsFromScratch_AndASecondRunReusesEverything()
    {
        string project = Path.Combine(_folder, "My Project");

        (int init, string initOut, _) = await SluiceAsync(_folder, "init", "My Project");
        Assert.Equal(0, init);
        Assert.Contains("Created project 'my-project'", initOut);
        foreach (string folder in (string[])["config", "src", "scripts", "jobs", "data", "logs", "reports"])
        {
            Assert.True(Directory.Exists(Path.Combine(project, folder)), folder);
        }

        Assert.Contains("config/secrets.json", await File.ReadAllTextAsync(Path.Combine(project, ".gitignore")));
        Assert.True(File.Exists(Path.Combine(project, "README.md")));
        Assert.True(File.Exists(Path.Combine(project, "config", "appsettings.json")));

        (int first, string firstOut, string firstErr) = await SluiceAsync(project, "run");
        Assert.True(first == 0, firstOut + firstErr);
        Assert.Contains("3 steps succeeded", firstOut);
        Assert.Equal("Daily summary\nrows: 3\nmean: 12.33\n", await File.ReadAllTextAsync(Path.Combine(project, "reports", "summary.txt")));
        Assert.True(File.Exists(Path.Combine(project, "data", "clean.csv")));

        // From another folder, through -C: the project folder decides where sluice.yaml is.
        (int second, string secondOut, string secondErr) = await SluiceAsync(_folder, "-C", project, "run");
        Assert.True(second == 0, secondOut + secondErr);
        Assert.Contains("0 of 3 steps to run, 3 to reuse", secondOut);
    }

    [Fact]
    public async Task Init_IntoFolderWithAnExistingFile_RefusesAndWritesNothing()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "README.md"), "mine\n");

        (int code, _, string error) = await SluiceAsync(_folder, "init", ".");

        Assert.Equal(2, code);
        Assert.Contains("would overwrite 1 existing file(s)", error);
        Assert.Contains("  README.md\n", error);
        Assert.Equal("mine\n", await File.ReadAllTextAsync(Path.Combine(_folder, "README.md")));
        Assert.Equal(["README.md"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Run_DurabilityFromTheEnvironmentNotKnown_ExitsTwoNamingTheKeyAndTheChoices_BeforeAnyStepRuns()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "sluice.yaml"), """
            pipeline: p
            steps:
              touch:
                run: [sh, -c, "echo ran > ran.txt"]
            """);

        (int code, _, string error) = await SluiceAsync(_folder, new Dictionary<string, string> { ["SLUICE_Sluice__Durability"] = "Sometimes" }, "run");

        Assert.Equal(2, code);
        Assert.Contains("'Sluice:Durability' has the value 'Sometimes', which is not one of PowerLoss, ProcessCrash", error);
        Assert.False(File.Exists(Path.Combine(_folder, "ran.txt")));
    }

    [Fact]
    public async Task Run_InvalidFile_ExitsTwoWithEveryProblemBeforeAnyStepRuns()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "pipe.yaml"), """
            pipeline: p
            steps:
              touch:
                run: [sh, -c, "echo ran > ran.txt"]
              other:
                run: [true]
                timout: 5m
                after: [tuch]
            """);

        (int code, string output, string error) = await SluiceAsync(_folder, "run", "--file", "pipe.yaml");

        Assert.Equal(2, code);
        Assert.Contains("error: 2 problems in pipeline 'p':", error);
        Assert.Contains("pipe.yaml:5:3: steps.other: Step 'other' runs after 'tuch', which does not exist. Did you mean 'touch'?", error);
        Assert.Contains("pipe.yaml:7:5: steps.other.timout: unknown key 'timout'. Did you mean 'timeout'?", error);
        Assert.False(File.Exists(Path.Combine(_folder, "ran.txt")), output);
    }

    [Fact]
    public async Task Graph_WithFileAndProjectDir_PassesEveryOtherOptionToTheCommandLine()
    {
        string project = Directory.CreateDirectory(Path.Combine(_folder, "p")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "other.yaml"), "pipeline: p\nsteps:\n  a: { run: [echo] }\n  b: { run: [echo], after: [a] }\n");

        (int code, string output, string error) = await SluiceAsync(_folder, "graph", "-C", "p", "--file", "other.yaml", "-f", "dot");

        Assert.True(code == 0, error);
        Assert.Contains("digraph", output);
        Assert.Contains("\"a\" -> \"b\"", output);
    }

    [Fact]
    public async Task Run_NoPipelineFile_ExitsTwoAndPointsAtInit()
    {
        (int code, _, string error) = await SluiceAsync(_folder, "plan");

        Assert.Equal(2, code);
        Assert.Contains("sluice.yaml: no pipeline file here. Create one with 'sluice init'", error);
    }

    [Fact]
    public async Task EnvSecret_FromASetting_ReachesTheProgramMaskedAndOutOfTheFingerprint()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "sluice.yaml"), """
            pipeline: p
            steps:
              fetch:
                run: [sh, -c, 'echo "key is $API_KEY"; printf "%s" "${#API_KEY}" > "$1"', sh, "{out:0}"]
                outputs: [data/length.txt]
                env: { API_KEY: { secret: Fetch:ApiKey } }
            """);

        // Unset: refused before anything runs, saying where to put it.
        (int missing, string missingOut, string missingErr) = await SluiceAsync(_folder, "run");
        Assert.True(missing == 2, missingOut + missingErr);
        Assert.Contains("Step 'fetch' passes the secret setting 'Fetch:ApiKey' as environment variable API_KEY, but no configuration sets it", missingErr);
        Assert.Contains("SLUICE_Fetch__ApiKey", missingErr);
        Assert.False(Directory.Exists(Path.Combine(_folder, "logs")));

        const string Key = "k3y-from-the-environment";
        (int run, string runOut, string runErr) = await SluiceAsync(_folder, new Dictionary<string, string> { ["SLUICE_Fetch__ApiKey"] = Key }, "run");
        Assert.True(run == 0, runOut + runErr);
        Assert.Equal(Key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(Path.Combine(_folder, "data", "length.txt")));
        string log = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_folder, "logs"), "fetch.log", SearchOption.AllDirectories).Single());
        Assert.Contains("key is ***", log);
        Assert.DoesNotContain(Key, log);

        // From the git-ignored secrets file, and a new value: only the name is in the fingerprint, so the step is reused.
        Directory.CreateDirectory(Path.Combine(_folder, "config"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "config", "secrets.json"), """{ "Fetch": { "ApiKey": "another-key-from-the-file" } }""");
        (int again, string againOut, string againErr) = await SluiceAsync(_folder, "run");
        Assert.True(again == 0, againOut + againErr);
        Assert.Contains("0 of 1 steps to run, 1 to reuse", againOut);
    }

    [Fact]
    public async Task ScheduleAndAlerts_InTheFile_AreSettingsLocatedInIt_AndConfigOverridesThem()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "sluice.yaml"), """
            pipeline: p
            schedule: { cron: "30 22 * * 1-5", grace: 45m }
            alerts:
              on_success: true
              sinks:
                file: { type: log, path: logs/alerts.jsonl }
            steps:
              hello: { run: [echo, hello] }
            """);

        (int run, string runOut, string runErr) = await SluiceAsync(_folder, "run");
        Assert.True(run == 0, runOut + runErr);
        Assert.Contains("\"Kind\":\"run-succeeded\"", await File.ReadAllTextAsync(Path.Combine(_folder, "logs", "alerts.jsonl")));

        (_, string config, _) = await SluiceAsync(_folder, "config");
        Assert.Matches(@"Sluice:Alerts:Schedule:Cron\s+30 22 \* \* 1-5\s+sluice\.yaml:2:19\n", config);
        Assert.Matches(@"Sluice:Alerts:Schedule:Grace\s+00:45:00\s+sluice\.yaml:2:43\n", config);
        Assert.Matches(@"Sluice:Alerts:Sinks:file:Path\s+logs/alerts\.jsonl\s+sluice\.yaml:6:30\n", config);

        // Every later layer still wins over the file.
        Directory.CreateDirectory(Path.Combine(_folder, "config"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "config", "appsettings.json"), """{ "Sluice": { "Alerts": { "Schedule": { "Cron": "0 6 * * *" } } } }""");
        (_, string overridden, _) = await SluiceAsync(_folder, "config");
        Assert.Matches(@"Sluice:Alerts:Schedule:Cron\s+0 6 \* \* \*\s+config/appsettings\.json\n", overridden);
    }

    [Fact]
    public async Task ScheduleAndAlerts_InvalidValuesOrASecret_AreRefusedAtTheirLineBeforeAnythingRuns()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "sluice.yaml"), """
            pipeline: p
            schedule: { cron: "61 22 * * 1-5" }
            alerts:
              sinks:
                chat:
                  type: webhook
                  url: http://127.0.0.1:9/hook
                  secret_headers: { Authorization: Bearer committed-token }
            steps:
              hello: { run: [echo, hello] }
            """);

        (int code, string output, string error) = await SluiceAsync(_folder, "run");

        Assert.True(code == 2, output + error);
        Assert.Contains("sluice.yaml:2:19: Configuration key 'Sluice:Alerts:Schedule:Cron' is invalid: '61 22 * * 1-5' is not a cron expression", error);
        Assert.Contains("Configuration key 'Sluice:Alerts:Sinks:chat:SecretHeaders:Authorization' is a secret, but sluice.yaml sets it and that file is committed with the project", error);
        Assert.DoesNotContain("committed-token", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "logs")));
    }

    /// <summary>Runs the sluice tool as a child process in <paramref name="workingDirectory"/>, plain output, two minutes at most.</summary>
    internal static Task<(int Code, string Output, string Error)> SluiceAsync(string workingDirectory, params string[] args) =>
        SluiceAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>How the sluice tool is started as a child process: output redirected, no colour, no inherited project folder, extra environment variables.</summary>
    internal static ProcessStartInfo StartInfo(string workingDirectory, Dictionary<string, string> variables, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SLUICE_PROJECT_DIR");
        start.Environment["NO_COLOR"] = "1";
        foreach ((string name, string value) in variables)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs the sluice tool as a child process with extra environment variables.</summary>
    internal static async Task<(int Code, string Output, string Error)> SluiceAsync(string workingDirectory, Dictionary<string, string> variables, params string[] args)
    {
        using Process process = Process.Start(StartInfo(workingDirectory, variables, args))!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
