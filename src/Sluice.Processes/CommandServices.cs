using Sluice.Execution;
using Sluice.FileSystem;

namespace Sluice.Processes;

/// <summary>Adds what command steps need (<see cref="ICommandRunner"/>, <see cref="ICommandWorkspace"/>, and the threads that wait for programs as an <see cref="ILaneStarter"/>) to a run's services.</summary>
/// <param name="projectDirectory">The project folder outputs are staged in and published to.</param>
/// <param name="inner">The application's own services, asked for everything else.</param>
/// <param name="options">How processes are run and ended.</param>
/// <param name="durability">Where the outputs' folder fsyncs wait for the run store's next commit; null to fsync each folder before the step goes on.</param>
public sealed class CommandServices(string projectDirectory, IServiceProvider? inner = null, ProcessCommandRunnerOptions? options = null, DurabilityBarrier? durability = null) : IServiceProvider
{
    private readonly ProcessCommandRunner _runner = new(options);
    private readonly CommandWorkspace _workspace = new(projectDirectory, new FileSystemArtifactStore(projectDirectory, new FileSystemArtifactStoreOptions { Durability = durability }));

    /// <summary>Gets the barrier the outputs' folder fsyncs wait in, or null when each is fsynced at once.</summary>
    public DurabilityBarrier? Durability => durability;

    /// <inheritdoc/>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ICommandRunner) ? _runner
        : serviceType == typeof(ICommandWorkspace) ? _workspace
        : serviceType == typeof(ILaneStarter) ? CommandThreads.LaneStarter
        : inner?.GetService(serviceType);
}
