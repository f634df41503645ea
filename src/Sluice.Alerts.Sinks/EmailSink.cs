using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Sluice.Alerts.Sinks;

/// <summary>Sends each alert as a plain-text e-mail over SMTP (MailKit): the title as subject, the message and details as body.</summary>
/// <remarks>An SMTP 5xx answer (an unknown recipient, a refused login) is permanent; connection problems and 4xx answers are retried.</remarks>
public sealed class EmailSink : IAlertSink
{
    private readonly AlertSinkSettings _settings;
    private readonly string _host;

    /// <summary>Creates an e-mail sink from its validated settings.</summary>
    public EmailSink(string name, AlertSinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        _settings = settings;
        _host = settings.Host ?? throw new ArgumentException($"E-mail sink '{name}' has no Host.", nameof(settings));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description => $"e-mail via {_host}:{_settings.EffectivePort} to {string.Join(", ", _settings.To)}";

    /// <inheritdoc/>
    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        using MimeMessage message = Compose(alert);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(_host, _settings.EffectivePort, Security(_settings.Tls ?? SmtpTls.Auto), cancellationToken).ConfigureAwait(false);
            if (_settings.User is { } user)
            {
                await client.AuthenticateAsync(user, _settings.Password?.Reveal() ?? "", cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e)
        {
            int code = (int)e.StatusCode;
            throw new AlertDeliveryException($"SMTP {code}: {e.Message}{(code >= 500 ? " (not retried: the server refused it for good)" : "")}", isTransient: code < 500, e);
        }
        catch (AuthenticationException e)
        {
            throw new AlertDeliveryException($"SMTP login refused: {e.Message} (not retried: check User and Password)", isTransient: false, e);
        }
        catch (SslHandshakeException e)
        {
            throw new AlertDeliveryException($"TLS with {_host} failed: {e.Message.Split('\n')[0]} (check Tls and Port)", isTransient: false, e);
        }
        catch (NotSupportedException e) when (e.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase))
        {
            throw new AlertDeliveryException($"{_host} does not offer STARTTLS, which Tls '{_settings.Tls}' requires (not retried)", isTransient: false, e);
        }
        catch (Exception e) when (e is ProtocolException or ServiceNotConnectedException)
        {
            throw new AlertDeliveryException($"SMTP with {_host} failed: {e.Message}", isTransient: true, e);
        }
    }

    /// <summary>Builds the e-mail of an alert.</summary>
    internal MimeMessage Compose(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_settings.From!));
        foreach (string to in _settings.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = $"{_settings.SubjectPrefix ?? "[sluice]"} {alert.Title}".Trim();
        message.Date = alert.At;
        var body = new StringBuilder();
        body.Append(alert.Message).Append("\n\n");
        body.Append("kind:      ").Append(alert.Kind).Append('\n');
        body.Append("pipeline:  ").Append(alert.Pipeline).Append('\n');
        if (alert.RunId is { } run)
        {
            body.Append("run:       ").Append(run).Append('\n');
        }

        if (alert.Step is { } step)
        {
            body.Append("step:      ").Append(step).Append('\n');
        }

        body.Append("raised at: ").Append(alert.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)).Append('\n');
        foreach ((string name, string value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            body.Append(name).Append(": ").Append(value).Append('\n');
        }

        message.Body = new TextPart("plain") { Text = body.ToString() };
        return message;
    }

    private static SecureSocketOptions Security(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
