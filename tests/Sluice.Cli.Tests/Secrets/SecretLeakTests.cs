using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SecretLeakApp;

namespace Sluice.Cli.Tests.Secrets;

/// <summary>
/// The issue's test: a real process whose step prints its secrets to stdout and stderr, logs them, puts them in
/// URL-encoded, base64 and JSON-escaped forms, throws an exception holding them, and tries to publish one. Then
/// every file under the project and every column of every table of the run store is searched: no form of any
/// secret may appear.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    // Outside the project: user-secrets are kept under the user's home, as `dotnet user-secrets` keeps them.
    private readonly string _home = Path.Combine(Path.GetTempPath(), "sluice-home-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _project.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }

    [Fact]
    public async Task Run_StepLeaksSecretsEveryWay_NoFileConsoleOrStoreRowShowsAny()
    {
        string unique = Guid.NewGuid().ToString("N")[..10];
        var secrets = new Dictionary<string, string>
        {
            ["EnvKey"] = $"env-K3y+/ {unique}&<é>",
            ["UserToken"] = $"user-T0ken={unique}/+?\"",
            ["FilePassword"] = $"file-Pa55 w0rd {unique}!",
        };
        _project.Write("config/appsettings.json", """{ "Leak": { } }""");
        _project.Write("config/secrets.json", JsonSerializer.Serialize(new { Leak = new { FilePassword = secrets["FilePassword"] } }));
        string userSecrets = Path.Combine(_home, ".microsoft", "usersecrets", "sluice-secret-leak-app", "secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(userSecrets)!);
        await File.WriteAllTextAsync(userSecrets, JsonSerializer.Serialize(new { Leak = new { UserToken = secrets["UserToken"] } }));
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["SLUICE_Leak__EnvKey"] = secrets["EnvKey"] };

        var leak = await RunAsync(environment, "run", "--only", "leak");
        var report = await RunAsync(environment, "run", "--only", "report");

        Assert.True(leak.Exit == ExitCodes.RunFailed, $"leak run exit {leak.Exit}\n{leak.Out}\n{leak.Error}");
        Assert.Equal(ExitCodes.RunFailed, report.Exit);
        Assert.Contains("leak  FAILED     InvalidOperationException: could not call the API with key *** (sent as ***, token ***, password ***)", leak.Out, StringComparison.Ordinal);
        Assert.Contains("outside any step: ***", leak.Out, StringComparison.Ordinal);
        Assert.Contains("Output of step 'report' contains the secret Leak:EnvKey (raw form); refusing to store or publish it.", report.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.PathTo("reports/report.txt")), "the report holding a secret was published");

        // So the search below can fail: every line the step wrote reached its log, with the secret masked.
        string log = await File.ReadAllTextAsync(Directory.GetFiles(_project.PathTo("logs"), "leak.log", SearchOption.AllDirectories).Single());
        foreach ((string name, string value) in secrets)
        {
            foreach ((string form, _) in LeakForms.Of(value))
            {
                Assert.Matches($@"info run=\S+ step=\S+ attempt=1 stdout {name} {form}: .*\*\*\*", log);
                Assert.Matches($@"warn run=\S+ step=\S+ attempt=1 stderr {name} {form}: .*\*\*\*", log);
                Assert.Matches($@"info run=\S+ step=\S+ attempt=2 log {name} {form}: .*\*\*\*", log);
            }

            Assert.Contains($"logged exception for {name}\nSystem.InvalidOperationException: inner failure with ***", log, StringComparison.Ordinal);
        }

        Assert.Matches(@"info run=\S+ step=\S+ attempt=2 partial line \*\*\*\n.* fail run=\S+ step=\S+ attempt=2 System.InvalidOperationException: could not call the API with key \*\*\*", log);

        var found = new List<string>();
        foreach (string file in Directory.GetFiles(_project.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            byte[] bytes = await File.ReadAllBytesAsync(file);
            string relative = Path.GetRelativePath(_project.Root, file);
            foreach ((string name, string form, byte[] text) in Needles(secrets))
            {
                // config/secrets.json is where the file's secret is meant to be: the only place it may be found.
                if (!(name == "FilePassword" && relative == Path.Combine("config", "secrets.json")) && bytes.AsSpan().IndexOf(text) >= 0)
                {
                    found.Add($"{relative}: {name} ({form})");
                }
            }
        }

        Assert.Contains(Path.Combine(".sluice", "runs.db"), Directory.GetFiles(_project.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_project.Root, f)));
        string dump = DumpStore(_project.PathTo(".sluice/runs.db"));
        Assert.Contains("could not call the API with key ***", dump, StringComparison.Ordinal);
        string printed = leak.Out + leak.Error + report.Out + report.Error;
        foreach ((string name, string form, byte[] text) in Needles(secrets))
        {
            string needle = Encoding.UTF8.GetString(text);
            if (dump.Contains(needle, StringComparison.Ordinal))
            {
                found.Add($"run store dump: {name} ({form})");
            }

            if (printed.Contains(needle, StringComparison.Ordinal))
            {
                found.Add($"console: {name} ({form})");
            }
        }

        Assert.True(found.Count == 0, "secrets found:\n" + string.Join('\n', found));
    }

    // Each form the step wrote, and for base64 forms also the characters no neighbouring byte can change.
    private static IEnumerable<(string Name, string Form, byte[] Text)> Needles(Dictionary<string, string> secrets)
    {
        foreach ((string name, string value) in secrets)
        {
            foreach ((string form, string text) in LeakForms.Of(value))
            {
                yield return (name, form, Encoding.UTF8.GetBytes(text));
                if (form.StartsWith("base64", StringComparison.Ordinal) || form == "basic-auth")
                {
                    yield return (name, form + " (middle)", Encoding.UTF8.GetBytes(text[8..^4]));
                }
            }
        }
    }

    /// <summary>Returns every value of every column of every table in the run store, as text.</summary>
    private static string DumpStore(string database)
    {
        var dump = new StringBuilder();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (SqliteCommand list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using SqliteDataReader reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("events", tables);
        foreach (string table in tables)
        {
            using SqliteCommand select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using SqliteDataReader rows = select.ExecuteReader();
            while (rows.Read())
            {
                for (int i = 0; i < rows.FieldCount; i++)
                {
                    object value = rows.GetValue(i);
                    dump.Append(value is byte[] blob ? Encoding.UTF8.GetString(blob) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return dump.ToString();
    }

    private async Task<(int Exit, string Out, string Error)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _project.Root,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SecretLeakApp.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within a minute.\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
