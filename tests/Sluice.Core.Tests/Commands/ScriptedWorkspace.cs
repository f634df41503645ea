using System.Collections.Concurrent;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Commands;

/// <summary>A command workspace whose publishing finishes at once, when the test opens a step attempt's gate, or fails where told.</summary>
/// <remarks>Nothing touches the disk: the tests that use it are about when the engine waits for publishing, not about files.</remarks>
internal sealed class ScriptedWorkspace : ICommandWorkspace
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _begun = new();
    private readonly ConcurrentDictionary<string, Exception> _failures = new();

    /// <summary>Returns the gate a step attempt's publishing waits for; complete it to finish, fail it to fail the publishing.</summary>
    public TaskCompletionSource Gate(string step, int attempt) => _gates.GetOrAdd(Key(step, attempt), _ => NewSignal());

    /// <summary>Makes a step attempt's publishing fail before it begins, inside the attempt.</summary>
    public void Fail(string step, int attempt, Exception e) => _failures[Key(step, attempt)] = e;

    /// <summary>Completes when a step attempt's publishing has begun.</summary>
    public Task Begun(string step, int attempt = 1) => _begun.GetOrAdd(Key(step, attempt), _ => NewSignal()).Task.WaitAsync(Watchdog.Limit);

    public Task<string> CreateStagingAsync(RunId run, string step, int attempt, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
        Task.FromResult(Key(step, attempt));

    public Task<IReadOnlyList<string>> FindMissingAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<CommandOutputs> PublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("BeginPublishAsync is what command steps call.");

    public Task<(CommandOutputs Outputs, Task Published)> BeginPublishAsync(string staging, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        _begun.GetOrAdd(staging, _ => NewSignal()).TrySetResult();
        if (_failures.TryGetValue(staging, out Exception? failure))
        {
            return Task.FromException<(CommandOutputs, Task)>(failure);
        }

        var manifest = new CommandOutputs([.. outputs.Select(o => new CommandOutputFile(o, "xxh128:00112233445566778899aabbccddeeff", 1))]);
        return Task.FromResult((manifest, _gates.TryGetValue(staging, out TaskCompletionSource? gate) ? gate.Task : Task.CompletedTask));
    }

    public Task DeleteStagingAsync(string staging) => Task.CompletedTask;

    /// <summary>Returns a signal whose continuations run on the pool, so completing it never runs the engine inline.</summary>
    internal static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The staging "folder" names the step attempt, so publishing knows which gate is its own.
    private static string Key(string step, int attempt) => $"{step}/{attempt}";
}

/// <summary>The services a command step resolves, with a test's runner and workspace.</summary>
internal sealed class FakeCommandServices(ICommandRunner runner, ICommandWorkspace workspace) : IServiceProvider
{
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ICommandRunner) ? runner : serviceType == typeof(ICommandWorkspace) ? workspace : null;
}
