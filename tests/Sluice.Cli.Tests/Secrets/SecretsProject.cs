using System.Text.Json;
using Sluice.Definitions;
using Sluice.Secrets;

namespace Sluice.Cli.Tests.Secrets;

/// <summary>A project whose settings come from every source: committed files, user-secrets (under a fake HOME outside the project), config/secrets.json and the environment.</summary>
internal sealed class SecretsProject : IDisposable
{
    public const string UserSecretsId = "sluice-tests-secrets";

    public SecretsProject()
    {
        Cli = new CliHarness(Project.Root);
        Cli.Variables["HOME"] = Home;
        Cli.Variables["SLUICE_USER_SECRETS_ID"] = UserSecretsId;
        Directory.CreateDirectory(Home);
    }

    public TempProject Project { get; } = new(withSample: false);

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "sluice-home-" + Guid.NewGuid().ToString("N")[..12]);

    public CliHarness Cli { get; }

    public sealed class ApiSettings
    {
        public string Url { get; set; } = "https://api.example";

        public int Window { get; set; } = 30;

        public int Retries { get; set; } = 3;

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        public Secret? Key { get; set; }

        public Secret? Token { get; set; }

        public string? Password { get; set; }

        public List<string> Tickers { get; set; } = [];
    }

    public sealed class ReportSettings
    {
        public int Days { get; set; } = 5;
    }

    /// <summary>Two sections; 'fetch' takes the API settings, 'report' publishes what its settings make of the key.</summary>
    public static Pipeline Define(Func<ApiSettings, string>? report = null) => Pipeline.Define("configured", p =>
    {
        Artifact<ApiSettings> api = p.Parameters<ApiSettings>("Api");
        Artifact<ReportSettings> reporting = p.Parameters<ReportSettings>("Report");
        p.Step("fetch").Executes(api, (_, s) => $"{s.Url} {s.Window}");
        p.Step("report")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.Zero; })
            .Publish("reports/report.txt")
            .Executes(api, reporting, (_, s, r) => report?.Invoke(s) ?? $"report over {r.Days} days\n");
    });

    public void WriteUserSecrets(object content)
    {
        string path = Path.Combine(Home, ".microsoft", "usersecrets", UserSecretsId, "secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(content));
    }

    public void Write(string relative, object content) => Project.Write(relative, JsonSerializer.Serialize(content));

    public Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => Cli.RunAsync(() => Define(), args);

    public void Dispose()
    {
        Project.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }
}
