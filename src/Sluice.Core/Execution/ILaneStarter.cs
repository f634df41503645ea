namespace Sluice.Execution;

/// <summary>Starts a run's lanes on threads of its own instead of the thread pool's; the coordinator uses one, when the run's services offer it, for a lane whose first step runs a command.</summary>
/// <remarks>
/// A lane is a run of steps, one after another, on one thread (<see cref="RunCoordinator"/>). The threads a starter
/// gives must be ones a lane may keep (<see cref="LaneThreads.Adopt"/>), free to block in a step's work.
/// Sluice.Processes starts lanes on the threads that wait for commands: a lane of command steps then starts,
/// waits for and finishes its programs on one thread, with no thread-pool worker woken (and spinning) per step.
/// </remarks>
public interface ILaneStarter
{
    /// <summary>Runs <paramref name="lane"/> soon on a thread of the starter's, never inline on the calling thread.</summary>
    void Start(Action lane);
}
