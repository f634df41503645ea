using Sluice.Execution;
using Sluice.Processes;

namespace Sluice.Cli.Tests.Processes;

/// <summary>The services a run of command steps gets: the runner, the workspace, and lanes started on the threads that wait for programs.</summary>
public sealed class CommandServicesTests
{
    [Fact]
    public async Task GetService_LaneStarter_StartsLanesOnAdoptedCommandThreads()
    {
        var services = new CommandServices(Path.GetTempPath());
        var starter = Assert.IsAssignableFrom<ILaneStarter>(services.GetService(typeof(ILaneStarter)));
        var ran = new TaskCompletionSource<(string? Name, bool Pool, bool Adopted)>(TaskCreationOptions.RunContinuationsAsynchronously);

        starter.Start(() => ran.SetResult((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, LaneThreads.IsCurrent)));
        (string? name, bool pool, bool adopted) = await ran.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("Sluice command", name, StringComparison.Ordinal);
        Assert.False(pool);
        Assert.True(adopted);
        Assert.IsType<ProcessCommandRunner>(services.GetService(typeof(ICommandRunner)));
        Assert.IsType<CommandWorkspace>(services.GetService(typeof(ICommandWorkspace)));
    }
}
