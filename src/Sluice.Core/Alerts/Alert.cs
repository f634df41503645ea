using Sluice.State;

namespace Sluice.Alerts;

/// <summary>Something a person should look at: a failed run, a data-quality problem, a missed schedule.</summary>
/// <param name="Kind">What it is about; sinks choose the kinds they receive.</param>
/// <param name="Pipeline">The pipeline it concerns.</param>
/// <param name="RunId">The run that raised it, if a run did (a missed schedule has none).</param>
/// <param name="Step">The step that raised it or failed, if any.</param>
/// <param name="Title">One line for a subject or a chat heading.</param>
/// <param name="Message">What happened and what to look at, for a person.</param>
/// <param name="At">When it was raised.</param>
/// <param name="Details">Further facts as name and value (reason, error type, attempts); empty when none.</param>
public sealed record Alert(
    AlertKind Kind,
    string Pipeline,
    RunId? RunId,
    string? Step,
    string Title,
    string Message,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Details)
{
    /// <summary>Gets the key alerts are deduplicated by: one alert per key is delivered, once to each sink.</summary>
    /// <value>The default is the pipeline, the run and the kind (<c>run-failed/hello/20261127-101500-3f9a</c>), so a run raises each kind once.</value>
    public string DedupeKey
    {
        get => field ?? $"{Kind}/{Pipeline}/{RunId?.Value ?? At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}";
        init;
    }
}
