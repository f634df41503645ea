using Sluice.Secrets;

namespace SecretLeakApp;

/// <summary>The "Leak" section: one secret from each kind of source.</summary>
public sealed class LeakSettings
{
    /// <summary>Gets or sets a secret given by the environment (<c>SLUICE_Leak__EnvKey</c>).</summary>
    public Secret? EnvKey { get; set; }

    /// <summary>Gets or sets a secret kept in user-secrets.</summary>
    public Secret? UserToken { get; set; }

    /// <summary>Gets or sets a plain text setting that is a secret because it comes from <c>config/secrets.json</c>.</summary>
    public string? FilePassword { get; set; }

    /// <summary>Returns every secret with its name.</summary>
    public IEnumerable<(string Name, string Value)> All()
    {
        yield return ("EnvKey", EnvKey?.Reveal() ?? "");
        yield return ("UserToken", UserToken?.Reveal() ?? "");
        yield return ("FilePassword", FilePassword ?? "");
    }
}
