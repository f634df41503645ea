using Sluice.Definitions;
using Sluice.State;

namespace Sluice.Execution;

/// <summary>The files side of a command step: a staging folder per attempt, and publishing what the command left there.</summary>
/// <remarks>
/// The command writes its outputs into the staging folder (the same relative layout as the project), never to the
/// published paths, so a failed or killed attempt publishes nothing and readers never see half a file.
/// </remarks>
public interface ICommandWorkspace
{
    /// <summary>Creates an empty staging folder for one attempt, with the folders of the declared outputs, and returns its absolute path.</summary>
    Task<string> CreateStagingAsync(RunId run, string step, int attempt, IReadOnlyList<string> outputs, CancellationToken cancellationToken);

    /// <summary>Returns the declared outputs that are not regular files in the staging folder.</summary>
    Task<IReadOnlyList<string>> FindMissingAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken);

    /// <summary>Stores every output durably by content hash, then publishes each under its project path by atomic rename.</summary>
    Task<CommandOutputs> PublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken);

    /// <summary>Starts <see cref="PublishAsync"/>: returns the outputs' manifest once their hashes are known, with a task that completes when every output is durable and published.</summary>
    /// <remarks>The staging folder may be deleted once this returns. The default waits for <see cref="PublishAsync"/>.</remarks>
    async Task<(CommandOutputs Outputs, Task Published)> BeginPublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
        (await PublishAsync(staging, outputs, cancellationToken).ConfigureAwait(false), Task.CompletedTask);

    /// <summary>Deletes a staging folder and what is left in it.</summary>
    Task DeleteStagingAsync(string staging);
}
