namespace Sluice.Alerts;

/// <summary>How an e-mail sink secures its SMTP connection.</summary>
public enum SmtpTls
{
    /// <summary>TLS on connect for port 465, else STARTTLS when the server offers it.</summary>
    Auto,

    /// <summary>No TLS: only for a relay on the same machine or a trusted network.</summary>
    None,

    /// <summary>STARTTLS, required: the send fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, else plain text.</summary>
    StartTlsWhenAvailable,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,
}
