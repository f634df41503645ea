using Sluice.Execution;

namespace Sluice.Processes;

/// <summary>Adds what command steps need (<see cref="ICommandRunner"/>, <see cref="ICommandWorkspace"/>) to a run's services.</summary>
/// <param name="projectDirectory">The project folder outputs are staged in and published to.</param>
/// <param name="inner">The application's own services, asked for everything else.</param>
/// <param name="options">How processes are run and ended.</param>
public sealed class CommandServices(string projectDirectory, IServiceProvider? inner = null, ProcessCommandRunnerOptions? options = null) : IServiceProvider
{
    private readonly ProcessCommandRunner _runner = new(options);
    private readonly CommandWorkspace _workspace = new(projectDirectory);

    /// <inheritdoc/>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ICommandRunner) ? _runner
        : serviceType == typeof(ICommandWorkspace) ? _workspace
        : inner?.GetService(serviceType);
}
