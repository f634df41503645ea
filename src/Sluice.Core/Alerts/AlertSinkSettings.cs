using Sluice.Secrets;

namespace Sluice.Alerts;

/// <summary>One named sink of <c>Sluice:Alerts:Sinks</c>: its type, the kinds it receives and the settings of its type.</summary>
/// <remarks>Settings of another type than the sink's are reported as configuration errors, so a misplaced key is never silently ignored.</remarks>
public sealed class AlertSinkSettings
{
    /// <summary>Gets or sets where the sink delivers: <c>webhook</c>, <c>command</c>, <c>email</c> or <c>log</c>.</summary>
    /// <value>No default: every sink names its type.</value>
    public AlertSinkType? Type { get; set; }

    /// <summary>Gets or sets the kinds the sink receives, by name (<c>run-failed</c>, <c>data-quality</c>, a step's own kind).</summary>
    /// <value>The default value is empty: every kind raised.</value>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Gets or sets the webhook's absolute http or https address.</summary>
    public string? Url { get; set; }

    /// <summary>Gets or sets the webhook's body format.</summary>
    /// <value>The default value is <see cref="WebhookFormat.Json"/>.</value>
    public WebhookFormat? Format { get; set; }

    /// <summary>Gets or sets whether a Slack-format message also carries blocks (a header and a fields section) besides its text.</summary>
    /// <value>The default value is <see langword="false"/>: text only.</value>
    public bool? SlackBlocks { get; set; }

    /// <summary>Gets or sets extra request headers of a webhook, by name.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets request headers whose values are secrets (a token): they are sent, and redacted from everything Sluice writes.</summary>
    /// <remarks>Give the values from a secrets source (an environment variable, the git-ignored secrets file): a value in a committed file is refused at start-up.</remarks>
    public Dictionary<string, Secret> SecretHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the program a command sink starts: a path relative to the project (<c>scripts/page.sh</c>) or a name found on the PATH.</summary>
    public string? Command { get; set; }

    /// <summary>Gets or sets the command's arguments, passed as they are (no shell).</summary>
    /// <value>The default value is empty.</value>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Gets or sets the SMTP server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the SMTP server's port.</summary>
    /// <value>The default value is 465 for <see cref="SmtpTls.SslOnConnect"/>, 25 for <see cref="SmtpTls.None"/>, else 587.</value>
    public int? Port { get; set; }

    /// <summary>Gets or sets how the SMTP connection is secured.</summary>
    /// <value>The default value is <see cref="SmtpTls.Auto"/>.</value>
    public SmtpTls? Tls { get; set; }

    /// <summary>Gets or sets the SMTP user name; give it with <see cref="Password"/>, or neither to send without authenticating.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the SMTP password; it is a secret, redacted from everything Sluice writes, and refused in a committed file.</summary>
    public Secret? Password { get; set; }

    /// <summary>Gets or sets the sender address of alert e-mails.</summary>
    public string? From { get; set; }

    /// <summary>Gets or sets the recipients of alert e-mails.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>Gets or sets the text put before each e-mail's subject.</summary>
    /// <value>The default value is <c>[sluice]</c>.</value>
    public string? SubjectPrefix { get; set; }

    /// <summary>Gets or sets the log sink's file, relative to the project; <c>{run}</c> stands for the run id.</summary>
    /// <value>The default value is <c>logs/{run}/alerts.jsonl</c>; an alert of no run (a missed schedule) goes to <c>logs/alerts.jsonl</c>.</value>
    public string? Path { get; set; }

    /// <summary>Gets the port to connect to, with the default of the TLS mode.</summary>
    public int EffectivePort => Port ?? (Tls switch
    {
        SmtpTls.SslOnConnect => 465,
        SmtpTls.None => 25,
        _ => 587,
    });

    /// <summary>Returns whether the sink receives alerts of <paramref name="kind"/>.</summary>
    public bool Receives(AlertKind kind) => kind == AlertKind.Test || Kinds.Count == 0 || Kinds.Contains(kind.Name, StringComparer.Ordinal);

    /// <summary>Adds a problem for every setting that is missing, malformed or belongs to another sink type.</summary>
    internal void Validate(string name, string path, bool onSuccess, Action<string, string> problem)
    {
        if (Type is not { } type)
        {
            problem($"{path}:Type", $"sink '{name}' has no type: give one of webhook, command, email, log.");
            return;
        }

        foreach (string kind in Kinds)
        {
            if (!AlertKind.TryParse(kind, out AlertKind parsed))
            {
                string? guess = Definitions.Spelling.Closest(kind, AlertKind.Known.Select(k => k.Name));
                problem($"{path}:Kinds", $"'{kind}' is not an alert kind: {(guess is null ? "use lower-case letters, digits and '-'" : $"did you mean '{guess}'?")} Sluice's kinds are {string.Join(", ", AlertKind.Known.Select(k => k.Name))}.");
            }
            else if (!AlertKind.Known.Contains(parsed) && Definitions.Spelling.Closest(kind, AlertKind.Known.Select(k => k.Name)) is { } near)
            {
                // A step's own kind is any name, but one a typo away from Sluice's is almost surely that typo.
                problem($"{path}:Kinds", $"'{kind}' is not one of Sluice's alert kinds: did you mean '{near}'? (A step's own kind must not look like one of Sluice's.)");
            }
            else if (parsed == AlertKind.RunSucceeded && !onSuccess)
            {
                problem($"{path}:Kinds", $"sink '{name}' asks for 'run-succeeded', but Sluice:Alerts:OnSuccess is false, so none is raised: set OnSuccess to true.");
            }
        }

        void Only(AlertSinkType owner, string key, bool isSet)
        {
            if (isSet && type != owner)
            {
                problem($"{path}:{key}", $"'{key}' is a setting of {owner.ToString().ToLowerInvariant()} sinks, but sink '{name}' is a {type.ToString().ToLowerInvariant()} sink: remove it or change Type.");
            }
        }

        Only(AlertSinkType.Webhook, nameof(Url), Url is not null);
        Only(AlertSinkType.Webhook, nameof(Format), Format is not null);
        Only(AlertSinkType.Webhook, nameof(SlackBlocks), SlackBlocks is not null);
        Only(AlertSinkType.Webhook, nameof(Headers), Headers.Count > 0);
        Only(AlertSinkType.Webhook, nameof(SecretHeaders), SecretHeaders.Count > 0);
        Only(AlertSinkType.Command, nameof(Command), Command is not null);
        Only(AlertSinkType.Command, nameof(Arguments), Arguments.Count > 0);
        Only(AlertSinkType.Email, nameof(Host), Host is not null);
        Only(AlertSinkType.Email, nameof(Port), Port is not null);
        Only(AlertSinkType.Email, nameof(Tls), Tls is not null);
        Only(AlertSinkType.Email, nameof(User), User is not null);
        Only(AlertSinkType.Email, nameof(Password), Password is not null);
        Only(AlertSinkType.Email, nameof(From), From is not null);
        Only(AlertSinkType.Email, nameof(To), To.Count > 0);
        Only(AlertSinkType.Email, nameof(SubjectPrefix), SubjectPrefix is not null);
        Only(AlertSinkType.Log, nameof(Path), Path is not null);

        switch (type)
        {
            case AlertSinkType.Webhook:
                if (string.IsNullOrWhiteSpace(Url))
                {
                    problem($"{path}:Url", $"webhook sink '{name}' has no Url: give the absolute http or https address to POST alerts to.");
                }
                else if (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    problem($"{path}:Url", $"'{Url}' is not an absolute http or https address: write it as 'https://host/path'.");
                }

                if (SlackBlocks == true && Format != WebhookFormat.Slack)
                {
                    problem($"{path}:SlackBlocks", $"SlackBlocks applies to the Slack format, but sink '{name}' posts {(Format ?? WebhookFormat.Json).ToString().ToLowerInvariant()}: set Format to slack or remove SlackBlocks.");
                }

                foreach (string header in Headers.Keys.Intersect(SecretHeaders.Keys, StringComparer.OrdinalIgnoreCase))
                {
                    problem($"{path}:SecretHeaders:{header}", $"header '{header}' is given in both Headers and SecretHeaders: keep it in one.");
                }

                foreach ((string key, IEnumerable<KeyValuePair<string, string>> headers) in new[] { (nameof(Headers), (IEnumerable<KeyValuePair<string, string>>)Headers), (nameof(SecretHeaders), SecretHeaders.Select(h => KeyValuePair.Create(h.Key, h.Value.Reveal()))) })
                {
                    foreach ((string header, string value) in headers)
                    {
                        if (header.Any(c => c <= ' ' || c >= 127 || c == ':') || value.Any(c => c is '\r' or '\n'))
                        {
                            problem($"{path}:{key}:{header}", $"header '{header}' is not a valid HTTP header: use a name of letters, digits and '-', and a one-line value.");
                        }
                    }
                }

                break;
            case AlertSinkType.Command:
                if (string.IsNullOrWhiteSpace(Command))
                {
                    problem($"{path}:Command", $"command sink '{name}' has no Command: give the program to start, such as 'scripts/page.sh'; its arguments go in Arguments.");
                }

                break;
            case AlertSinkType.Email:
                if (string.IsNullOrWhiteSpace(Host))
                {
                    problem($"{path}:Host", $"email sink '{name}' has no Host: give the SMTP server's host name.");
                }

                if (Port is < 1 or > 65535)
                {
                    problem($"{path}:Port", $"port {Port} is not a TCP port: give 1 to 65535 (usually 587, 465 or 25).");
                }

                if (string.IsNullOrWhiteSpace(From))
                {
                    problem($"{path}:From", $"email sink '{name}' has no From: give the sender address, such as 'sluice@example.com'.");
                }
                else if (!LooksLikeAddress(From))
                {
                    problem($"{path}:From", $"'{From}' is not an e-mail address: write it as 'name@example.com'.");
                }

                if (To.Count == 0)
                {
                    problem($"{path}:To", $"email sink '{name}' has no To: give a list of one or more recipient addresses.");
                }

                foreach (string to in To.Where(t => !LooksLikeAddress(t)))
                {
                    problem($"{path}:To", $"'{to}' is not an e-mail address: write it as 'name@example.com'.");
                }

                if ((User is null) != (Password is null))
                {
                    problem($"{path}:{(User is null ? "User" : "Password")}", $"email sink '{name}' has {(User is null ? "a Password but no User" : "a User but no Password")}: give both to authenticate, or neither.");
                }

                break;
            case AlertSinkType.Log:
                if (Path is not null)
                {
                    string normalized = Definitions.ProjectRelativePath.Normalize(Path);
                    if (!Definitions.ProjectRelativePath.IsInside(normalized) || !normalized.EndsWith(".jsonl", StringComparison.Ordinal))
                    {
                        problem($"{path}:Path", $"'{Path}' is not a project-relative .jsonl path: use one such as 'logs/{{run}}/alerts.jsonl' or 'logs/alerts.jsonl'.");
                    }
                }

                break;
        }
    }

    private static bool LooksLikeAddress(string text)
    {
        int at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }
}
