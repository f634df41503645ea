using System.Text;
using Microsoft.Extensions.Configuration;
using Sluice.Configuration;

namespace Sluice.Alerts;

// Alert settings bound the way the command line binds them: every problem of the section at once, each naming its key.
public class AlertSettingsTests
{
    [Fact]
    public void Bind_FullExample_HasNoProblems()
    {
        (SluiceSettings? settings, List<string> problems) = Bind("""
            { "Sluice": { "Alerts": {
              "OnSuccess": true,
              "Sinks": {
                "ops-slack": { "Type": "webhook", "Url": "https://hooks.example.com/T0/B0/x", "Format": "slack", "SlackBlocks": true, "Kinds": ["run-failed", "step-failed"] },
                "pager": { "Type": "command", "Command": "scripts/page.sh", "Arguments": ["--urgent"] },
                "oncall": { "Type": "email", "Host": "smtp.example.com", "Tls": "starttls", "User": "sluice", "Password": "pw", "From": "sluice@example.com", "To": ["oncall@example.com"] },
                "log": { "Type": "log", "Path": "logs/alerts.jsonl", "Kinds": ["data-quality", "price-spike", "run-succeeded"] }
              },
              "Delivery": { "MaxAttempts": 5, "Backoff": "00:00:01", "AttemptTimeout": "00:00:05", "DrainTimeout": "00:00:20" },
              "Schedule": { "Cron": "0 6 * * 1-5", "TimeZone": "Europe/London", "Grace": "00:30:00" }
            } } }
            """);

        Assert.Empty(problems);
        AlertSettings alerts = settings!.Alerts;
        Assert.Equal(AlertSinkType.Email, alerts.Sinks["oncall"].Type);
        Assert.Equal(587, alerts.Sinks["oncall"].EffectivePort);
        Assert.Equal(["run-failed", "step-failed"], alerts.Sinks["ops-slack"].Kinds);
        Assert.True(alerts.Sinks["ops-slack"].Receives(AlertKind.RunFailed));
        Assert.False(alerts.Sinks["ops-slack"].Receives(AlertKind.DataQuality));
        Assert.Equal(TimeSpan.FromMinutes(30), alerts.Schedule.Grace);
        Assert.Equal("Europe/London", alerts.Schedule.Zone().Id);
    }

    [Fact]
    public void Bind_EveryKindOfMistake_IsReportedAtOnceWithItsKey()
    {
        (_, List<string> problems) = Bind("""
            { "Sluice": { "Alerts": {
              "Sinks": {
                "hook": { "Type": "webhook", "Url": "hooks.example.com/x", "Host": "smtp.example.com" },
                "mail": { "Type": "email", "Host": "smtp.example.com", "To": [], "User": "sluice" },
                "page": { "Type": "command", "Kinds": ["run-faild", "run-succeeded"] },
                "what": { "Url": "https://x.example.com" },
                "typo": { "Type": "log", "Pth": "logs/a.jsonl" }
              },
              "Delivery": { "MaxAttempts": 0 },
              "Schedule": { "Cron": "61 * * * *", "TimeZone": "Mars/Olympus" }
            } } }
            """);

        Assert.Equal(
            [
                "Configuration key 'Sluice:Alerts:Sinks:typo:Pth' is not a setting of AlertSinkSettings. Did you mean 'Path'?",
                "Configuration key 'Sluice:Alerts:Sinks:hook:Host' is invalid: 'Host' is a setting of email sinks, but sink 'hook' is a webhook sink: remove it or change Type.",
                "Configuration key 'Sluice:Alerts:Sinks:hook:Url' is invalid: 'hooks.example.com/x' is not an absolute http or https address: write it as 'https://host/path'.",
                "Configuration key 'Sluice:Alerts:Sinks:mail:From' is invalid: email sink 'mail' has no From: give the sender address, such as 'sluice@example.com'.",
                "Configuration key 'Sluice:Alerts:Sinks:mail:To' is invalid: email sink 'mail' has no To: give a list of one or more recipient addresses.",
                "Configuration key 'Sluice:Alerts:Sinks:mail:Password' is invalid: email sink 'mail' has a User but no Password: give both to authenticate, or neither.",
                "Configuration key 'Sluice:Alerts:Sinks:page:Kinds' is invalid: 'run-faild' is not one of Sluice's alert kinds: did you mean 'run-failed'? (A step's own kind must not look like one of Sluice's.)",
                "Configuration key 'Sluice:Alerts:Sinks:page:Kinds' is invalid: sink 'page' asks for 'run-succeeded', but Sluice:Alerts:OnSuccess is false, so none is raised: set OnSuccess to true.",
                "Configuration key 'Sluice:Alerts:Sinks:page:Command' is invalid: command sink 'page' has no Command: give the program to start, such as 'scripts/page.sh'; its arguments go in Arguments.",
                "Configuration key 'Sluice:Alerts:Sinks:what:Type' is invalid: sink 'what' has no type: give one of webhook, command, email, log.",
                "Configuration key 'Sluice:Alerts:Delivery:MaxAttempts' is invalid: 0 attempts is out of range: give 1 (no retries) to 20.",
                "Configuration key 'Sluice:Alerts:Schedule:Cron' is invalid: '61 * * * *' is not a cron expression: give five fields (minute hour day-of-month month day-of-week), such as '0 6 * * 1-5', or six with seconds first.",
                "Configuration key 'Sluice:Alerts:Schedule:TimeZone' is invalid: 'Mars/Olympus' is not a time zone known to this machine: give an IANA id such as 'Europe/London' or 'UTC'.",
            ],
            problems);
    }

    [Fact]
    public void Bind_UnknownSinkType_NamesTheChoices()
    {
        (_, List<string> problems) = Bind("""{ "Sluice": { "Alerts": { "Sinks": { "x": { "Type": "pigeon" } } } } }""");

        Assert.Equal(["Configuration key 'Sluice:Alerts:Sinks:x:Type' has the value 'pigeon', which is not one of Webhook, Command, Email, Log."], problems);
    }

    [Fact]
    public void Bind_AttemptTimeoutBelowPollysMinimum_IsReportedNotThrownLater()
    {
        (_, List<string> problems) = Bind("""{ "Sluice": { "Alerts": { "Delivery": { "AttemptTimeout": "00:00:00.005", "Backoff": "-00:00:01" } } } }""");

        Assert.Equal(
            [
                "Configuration key 'Sluice:Alerts:Delivery:Backoff' is invalid: -00:00:01 is out of range: give 00:00:00 to 01:00:00 (hh:mm:ss).",
                "Configuration key 'Sluice:Alerts:Delivery:AttemptTimeout' is invalid: 00:00:00.0050000 is out of range: give 00:00:00.0100000 to 01:00:00 (hh:mm:ss).",
            ],
            problems);
    }

    [Fact]
    public void Bind_NothingConfigured_IsOff()
    {
        (SluiceSettings? settings, List<string> problems) = Bind("{}");

        Assert.Empty(problems);
        Assert.False(settings!.Alerts.IsEnabled);
        Assert.False(settings.Alerts.Raises(AlertKind.RunSucceeded));
        Assert.True(settings.Alerts.Raises(AlertKind.RunFailed));
    }

    private static (SluiceSettings? Settings, List<string> Problems) Bind(string json)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var problems = new List<string>();
        var settings = ParameterBinder.BindSection(configuration, SluiceSettings.Section, typeof(SluiceSettings), problems) as SluiceSettings;
        return (settings, problems);
    }
}
