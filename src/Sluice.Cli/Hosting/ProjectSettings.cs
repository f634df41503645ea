using Microsoft.Extensions.Configuration;
using Sluice.Configuration;
using Sluice.Secrets;

namespace Sluice.Cli.Hosting;

/// <summary>What a project's configuration gives a command, bound and validated: the pipeline's parameters and Sluice's own settings.</summary>
/// <param name="Parameters">The pipeline's parameter sections (and resolved file sets), by section name.</param>
/// <param name="Sluice">Sluice's own settings (section <c>Sluice</c>).</param>
/// <param name="Configuration">The configuration they were bound from.</param>
internal sealed record ProjectSettings(IReadOnlyDictionary<string, object> Parameters, SluiceSettings Sluice, IConfiguration Configuration)
{
    /// <summary>Gets every secret the configuration holds: redact with it everything written.</summary>
    public SecretRedactor Secrets { get; init; } = SecretRedactor.None;

    /// <summary>Gets the layers the configuration was merged from, to tell each key's source.</summary>
    public ProjectConfiguration? Sources { get; init; }
}
