using Sluice.Secrets;

namespace Sluice.Alerts.Sinks;

/// <summary>Builds the sinks <c>Sluice:Alerts:Sinks</c> names, and registers their secrets with the redactor.</summary>
public static class AlertSinkFactory
{
    /// <summary>Returns one sink per configured entry, in name order.</summary>
    /// <param name="settings">The validated alert settings.</param>
    /// <param name="projectDirectory">The project folder: command sinks run there and log sinks write under it.</param>
    /// <param name="console">Where log sinks print their line; null prints nothing.</param>
    /// <param name="redactor">Learns the sinks' secrets (SMTP passwords, secret headers), so they are masked wherever Sluice writes.</param>
    public static IReadOnlyList<IAlertSink> Create(AlertSettings settings, string projectDirectory, TextWriter? console, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(redactor);
        var sinks = new List<IAlertSink>();
        foreach ((string name, AlertSinkSettings sink) in settings.Sinks.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (sink.Password is { IsEmpty: false } password)
            {
                redactor.Add(password.Reveal());
            }

            foreach (Secret value in sink.SecretHeaders.Values)
            {
                redactor.Add(value.Reveal());
            }

            sinks.Add(sink.Type switch
            {
                AlertSinkType.Webhook => new WebhookSink(name, sink),
                AlertSinkType.Command => new CommandSink(name, sink, projectDirectory),
                AlertSinkType.Email => new EmailSink(name, sink),
                AlertSinkType.Log => new LogSink(name, sink, projectDirectory, console),
                _ => throw new ArgumentException($"Sink '{name}' has no type; validate the settings first.", nameof(settings)),
            });
        }

        return sinks;
    }
}
