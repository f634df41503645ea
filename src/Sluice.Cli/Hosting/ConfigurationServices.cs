using Microsoft.Extensions.Configuration;

namespace Sluice.Cli.Hosting;

/// <summary>Gives a run's steps the project's merged configuration as <see cref="IConfiguration"/> (a command step's variables read from settings); everything else comes from the app's services.</summary>
internal sealed class ConfigurationServices(IConfiguration configuration, IServiceProvider? inner) : IServiceProvider
{
    /// <inheritdoc/>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(IConfiguration) ? configuration : inner?.GetService(serviceType);
}
