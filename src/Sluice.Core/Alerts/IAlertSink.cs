namespace Sluice.Alerts;

/// <summary>Delivers an alert somewhere a person will see it: a webhook, a program, an e-mail, the log.</summary>
/// <remarks>
/// A sink makes one attempt per call; retries, backoff and the timeout are the dispatcher's. It throws on failure,
/// <see cref="AlertDeliveryException"/> with <see cref="AlertDeliveryException.IsTransient"/> false when a retry cannot help,
/// and must stop promptly when the token is cancelled.
/// </remarks>
public interface IAlertSink
{
    /// <summary>Gets the sink's name, as configured under <c>Sluice:Alerts:Sinks</c>.</summary>
    string Name { get; }

    /// <summary>Gets a short description for people (<c>webhook to hooks.example.com</c>); never a secret.</summary>
    string Description { get; }

    /// <summary>Makes one delivery attempt of <paramref name="alert"/>.</summary>
    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}
