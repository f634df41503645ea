using System.Text;

namespace Sluice.Cli.Tests.Secrets;

/// <summary>Running with secrets: an output that shows one is refused and nothing is published; a secret's value is not part of a fingerprint.</summary>
public sealed class SecretOutputTests : IDisposable
{
    private const string Key = "k3y-for-the-report+/";

    private readonly SecretsProject _project = new();

    public SecretOutputTests()
    {
        _project.Write("config/appsettings.json", new { Api = new { Url = "https://prod.example" } });
        _project.Write("config/secrets.json", new { Api = new { Key } });
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_OutputShowsSecret_StepFailsOnceAndNothingIsStoredOrPublished()
    {
        var (exit, output, _) = await _project.Cli.RunAsync(
            () => SecretsProject.Define(s => $"report\nauthorization: {Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + s.Key!.Reveal()))}\n"),
            "run", "--only", "report");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains("report  FAILED     SecretLeakException: Output of step 'report' contains the secret Api:Key (base64 form); refusing to store or publish it.", output, StringComparison.Ordinal);
        Assert.Contains("(output refused: it shows a secret (never retried))", output, StringComparison.Ordinal);
        Assert.DoesNotContain("retrying", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.Project.PathTo("reports/report.txt")), "the report was published");
        string objects = _project.Project.PathTo(".sluice/objects");
        Assert.Empty(Directory.Exists(objects) ? Directory.GetFiles(objects, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Run_SecretSerializedAsSecret_OutputStoredWithMask()
    {
        var (exit, output, _) = await _project.Cli.RunAsync(
            () => SecretsProject.Define(s => System.Text.Json.JsonSerializer.Serialize(s)),
            "run", "--only", "report");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("\"Key\":\"***\"", File.ReadAllText(_project.Project.PathTo("reports/report.txt")), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_OnlySecretValueChanged_StepsReused()
    {
        var (first, _, _) = await _project.RunAsync("run");
        Assert.Equal(ExitCodes.Success, first);

        _project.Write("config/secrets.json", new { Api = new { Key = "another-key-value-2" } });
        var (_, unchanged, _) = await _project.RunAsync("plan");

        _project.Write("config/appsettings.json", new { Api = new { Url = "https://other.example" } });
        var (_, changed, _) = await _project.RunAsync("plan");

        Assert.Matches(@"fetch +reuse +checkpoint", unchanged);
        Assert.Matches(@"report +reuse +checkpoint", unchanged);
        Assert.Matches(@"fetch +run +parameter Api\.Url https://prod\.example -> https://other\.example", changed);
    }

    [Fact]
    public async Task Run_PlainSettingFromSecretsFile_KeptOutOfFingerprintAndRecords()
    {
        const string Password = "hunter2-from-the-file";
        _project.Write("config/secrets.json", new { Api = new { Key, Password } });

        var (exit, _, _) = await _project.Cli.RunAsync(() => SecretsProject.Define(s => $"password length {s.Password!.Length}\n"), "run");

        Assert.Equal(ExitCodes.Success, exit);
        byte[] database = await File.ReadAllBytesAsync(_project.Project.PathTo(".sluice/runs.db"));
        string wal = _project.Project.PathTo(".sluice/runs.db-wal");
        byte[] all = [.. database, .. File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : []];
        Assert.Equal(-1, all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Password)));
        Assert.True(all.AsSpan().IndexOf("\"Password\":\"***\""u8) >= 0, "the fingerprint key should record the password as ***");
    }
}
