namespace Sluice.Alerts;

/// <summary>Where a sink delivers alerts.</summary>
public enum AlertSinkType
{
    /// <summary>An HTTP POST of the alert as JSON (or in Slack's format).</summary>
    Webhook,

    /// <summary>A program started with an argument list, the alert as JSON on its standard input.</summary>
    Command,

    /// <summary>An e-mail sent over SMTP.</summary>
    Email,

    /// <summary>A line in the run's <c>alerts.jsonl</c> and on the console.</summary>
    Log,
}
