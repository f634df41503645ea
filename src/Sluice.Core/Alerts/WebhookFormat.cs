namespace Sluice.Alerts;

/// <summary>The body a webhook sink posts.</summary>
public enum WebhookFormat
{
    /// <summary>The alert as Sluice's JSON object (docs/file-formats.md, "Alert JSON").</summary>
    Json,

    /// <summary>A Slack-compatible message: <c>{"text": ...}</c>, with blocks when <see cref="AlertSinkSettings.SlackBlocks"/> is set.</summary>
    Slack,
}
