using System.Collections;

namespace Sluice.Telemetry;

/// <summary>The logging scope of one attempt: <c>Pipeline</c>, <c>RunId</c>, <c>Step</c> and <c>Attempt</c> as structured properties.</summary>
/// <remarks>Begun around the step's code, so any logger from the host's factory used inside the attempt (a class step's injected one too) carries them.</remarks>
internal sealed class AttemptScope(string pipeline, string runId, string step, int attempt) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Pipeline => pipeline;

    public string RunId => runId;

    public string Step => step;

    public int Attempt => attempt;

    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Pipeline", pipeline),
        1 => new("RunId", runId),
        2 => new("Step", step),
        3 => new("Attempt", attempt),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"run {runId} step {step} attempt {attempt}";
}
