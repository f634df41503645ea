using System.Text.Json;

namespace Sluice.Cli.Tests.Secrets;

/// <summary><c>config</c>: every effective setting with its source, secrets as ***, and the same refusal as <c>run</c> for bad configuration.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private const string FileKey = "file-key-abcdef";
    private const string FilePassword = "file-password-1";
    private const string UserToken = "user-token-123456";
    private const string NamedSecret = "named-secret-value";

    private readonly SecretsProject _project = new();

    public void Dispose() => _project.Dispose();

    private void WriteEverySource()
    {
        _project.Write("config/appsettings.json", new { Api = new { Url = "https://prod.example", Tickers = new[] { "SPX", "NDX" } }, Report = new { Days = 7 } });
        _project.Write("config/appsettings.Production.json", new { Api = new { Window = 60 } });
        _project.WriteUserSecrets(new { Api = new { Token = UserToken } });

        // A flat name at the top is a secret the pipeline looks up itself (as the forecaster does), not a setting.
        _project.Write("config/secrets.json", new Dictionary<string, object> { ["Api"] = new { Key = FileKey, Password = FilePassword }, ["THIRD_PARTY_KEY"] = NamedSecret });
        _project.Cli.Variables["SLUICE_ENVIRONMENT"] = "Production";
        _project.Cli.Variables["SLUICE_Api__Timeout"] = "00:00:30";
        _project.Cli.Variables["SLUICE_DEBUG"] = "1";
    }

    [Fact]
    public async Task Config_EverySource_EachSettingWithItsSourceAndSecretsMasked()
    {
        WriteEverySource();

        var (exit, output, error) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("", error);
        Approvals.Verify(output, "config-sources");
        foreach (string secret in new[] { FileKey, FilePassword, UserToken, NamedSecret })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Config_Json_SameSettingsMachineReadable()
    {
        WriteEverySource();

        var (exit, output, _) = await _project.RunAsync("config", "--json");

        Assert.Equal(ExitCodes.Success, exit);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("Production", json.RootElement.GetProperty("environment").GetString());
        var settings = json.RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => (Value: s.GetProperty("value").GetString(), Source: s.GetProperty("source").GetString(), Secret: s.GetProperty("secret").GetBoolean()));
        Assert.Equal(("***", "user-secrets", true), settings["Api:Token"]);
        Assert.Equal(("***", "config/secrets.json", true), settings["Api:Password"]);
        Assert.Equal(("00:00:30", "env SLUICE_Api__Timeout", false), settings["Api:Timeout"]);
        Assert.Equal(("3", "default", false), settings["Api:Retries"]);
        Assert.Equal(("60", "config/appsettings.Production.json", false), settings["Api:Window"]);
        Assert.Equal((null, "default", false), settings["Sluice:Alerts:Schedule:Cron"]); // unset: JSON null, not the text "null"
        Assert.Equal(
            ["config/appsettings.json", "config/appsettings.Production.json", "user-secrets", "config/secrets.json", "env"],
            json.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Config_EnvironmentOverridesEveryFile()
    {
        WriteEverySource();
        _project.Cli.Variables["SLUICE_Api__Window"] = "90";
        _project.Cli.Variables["SLUICE_Api__Token"] = "env-token-7890";

        var (_, output, _) = await _project.RunAsync("config");

        Assert.Matches(@"Api:Window +90 +env SLUICE_Api__Window\n", output);
        Assert.Matches(@"Api:Token +\*\*\* +env SLUICE_Api__Token\n", output);
        Assert.DoesNotContain("env-token-7890", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_NothingConfigured_EveryDefaultListed()
    {
        var (exit, output, _) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"Api:Url +https://api.example +default\n", output);
        Assert.Matches(@"Api:Key +\*\*\* +default\n", output);
        Assert.Matches(@"Api:Tickers +\[\] +default\n", output);
        Assert.Matches(@"Report:Days +5 +default\n", output);
        Assert.Contains("no environment (SLUICE_ENVIRONMENT is not set)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_EveryProblemAtOnce_NamesFileKeyAndFixWithoutShowingSecrets()
    {
        _project.Project.Write("config/appsettings.json", """
            {
              "Api": { "Key": "committed-key-value", "Windw": 5, "Timeout": "soon" },
              "Reprot": { "Days": 1 },
              "Logging": { "LogLevel": { "Default": "Information" } }
            }
            """);
        _project.Write("config/secrets.json", new { Api = new { Retries = "secret-not-a-number" } });

        var (exit, output, error) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Equal("", output);
        Assert.Contains("6 problems in pipeline 'configured':", error, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Api:Windw' is not a setting of ApiSettings. Did you mean 'Window'?", error, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Api:Timeout' has the value 'soon', which is not a duration (use hh:mm:ss, for example 00:05:00).", error, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'Api:Retries' has the value '***', which is not a whole number.", error, StringComparison.Ordinal);
        Assert.Contains("Configuration section 'Reprot' (set in config/appsettings.json) is not a section of pipeline 'configured'. Did you mean 'Report'?", error, StringComparison.Ordinal);
        Assert.Contains("Configuration section 'Logging' (set in config/appsettings.json) is not a section of pipeline 'configured'. Sluice does not read the conventional 'Logging' section", error, StringComparison.Ordinal);
        Assert.Contains(
            "Configuration key 'Api:Key' is a secret, but config/appsettings.json sets it and that file is committed with the project: remove it there and put it in config/secrets.json (git-ignored), in user-secrets, or in the environment variable SLUICE_Api__Key.",
            error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("secret-not-a-number", error, StringComparison.Ordinal);
        Assert.DoesNotContain("committed-key-value", error, StringComparison.Ordinal);

        // 'run' refuses the same configuration the same way, before writing anything.
        var (runExit, _, runError) = await _project.RunAsync("run");
        Assert.Equal(ExitCodes.DefinitionError, runExit);
        Assert.Equal(error, runError);
        Assert.False(Directory.Exists(_project.Project.PathTo(".sluice")));
    }

    [Fact]
    public async Task Config_UnknownSectionFromEnvironment_NamesTheVariable()
    {
        _project.Cli.Variables["SLUICE_Apl__Window"] = "5";

        var (exit, _, error) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Configuration section 'Apl' (set in env SLUICE_Apl__Window) is not a section of pipeline 'configured'. Did you mean 'Api'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_SecretsFileNotJson_NamesFileAndLineButNoText()
    {
        _project.Project.Write("config/secrets.json", "{\n  \"Api\": { \"Key\": \"half-a-secret\n}");

        var (exit, _, error) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("config/secrets.json", error, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON at line", error, StringComparison.Ordinal);
        Assert.DoesNotContain("half-a-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_TooShortSecret_WarnedOnceByName()
    {
        _project.Write("config/secrets.json", new { Api = new { Key = "abc" } });

        var (exit, _, error) = await _project.RunAsync("config");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("warning: the secret Api:Key is shorter than 6 characters, too short to tell apart from ordinary text: it is NOT redacted from logs and output. Use a longer secret.\n", error);
    }

    [Fact]
    public async Task Config_Help_DescribesSources()
    {
        var (exit, output, _) = await _project.RunAsync("config", "--help");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("env SLUICE_Section__Key", output, StringComparison.Ordinal);
        Assert.Contains("--json", output, StringComparison.Ordinal);
    }
}
