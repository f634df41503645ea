using MimeKit;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>Alerts e-mailed through MailKit to a real SMTP server on 127.0.0.1 (Debian's aiosmtpd).</summary>
public sealed class EmailAlertTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_StepFails_MailArrivesWithSubjectAndBody()
    {
        await using SmtpReceiver smtp = await SmtpReceiver.StartAsync();
        AlertProject.Configure(_project, $$"""
            { "Sinks": { "oncall": { "Type": "email", "Host": "127.0.0.1", "Port": {{smtp.Port}}, "Tls": "none",
                                     "From": "sluice@example.com", "To": ["oncall@example.com", "data@example.com"],
                                     "SubjectPrefix": "[ops]", "Kinds": ["step-failed"] } } }
            """);
        var cli = new AlertCli(_project.Root, TimeProvider.System);

        var (exit, _, error) = await cli.RunAsync(() => AlertProject.Define("score"), "run");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.DoesNotContain("not delivered", error, StringComparison.Ordinal);
        MimeMessage mail = Assert.Single(await smtp.MessagesAsync(1));
        Assert.Equal("[ops] Step 'score' of alerting failed", mail.Subject);
        Assert.Equal("sluice@example.com", mail.From.Mailboxes.Single().Address);
        Assert.Equal(["oncall@example.com", "data@example.com"], mail.To.Mailboxes.Select(m => m.Address));
        string body = mail.TextBody ?? "";
        Assert.Contains("(no retries configured): InvalidOperationException: score broke", body, StringComparison.Ordinal);
        Assert.Contains("kind:      step-failed\npipeline:  alerting\n", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("step:      score\n", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("error_type: System.InvalidOperationException", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertsTest_ServerDown_FailsAfterItsAttemptsAndSaysWhy()
    {
        AlertProject.Configure(_project, """
            { "Sinks": { "oncall": { "Type": "email", "Host": "127.0.0.1", "Port": 1, "Tls": "none", "From": "s@example.com", "To": ["o@example.com"] } },
              "Delivery": { "MaxAttempts": 2, "Backoff": "00:00:00" } }
            """);
        var cli = new AlertCli(_project.Root, TimeProvider.System);

        var (exit, output, _) = await cli.RunAsync(() => AlertProject.Define(), "alerts", "test");

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Matches(@"oncall  e-mail via 127\.0\.0\.1:1 to o@example\.com  failed  2 .*Connection refused", output);
    }
}
