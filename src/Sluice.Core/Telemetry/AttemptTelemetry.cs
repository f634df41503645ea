using System.Diagnostics;
using Sluice.State;

namespace Sluice.Telemetry;

/// <summary>One attempt's telemetry: its activity (current while the step runs), its logging scope and its measurements.</summary>
/// <remarks>Created and disposed in the attempt's own async flow, so the scope and <see cref="Activity.Current"/> are restored where they were set.</remarks>
internal sealed class AttemptTelemetry(RunTelemetry run, string step, int attempt, Activity? activity, IDisposable? scope) : IDisposable
{
    public StepMetrics Metrics { get; } = new(run, step, attempt);

    /// <summary>Records how the attempt ended, on its activity and the attempts counter.</summary>
    public void Ended(AttemptOutcome outcome, Exception? error)
    {
        run.AttemptEnded(step, outcome);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("sluice.outcome", outcome.ToText());
        if (outcome == AttemptOutcome.Succeeded)
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Error, run.Redact(error?.Message ?? outcome.ToText()));
            if (error is not null)
            {
                activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                {
                    ["exception.type"] = error.GetType().FullName,
                    ["exception.message"] = run.Redact(error.Message),
                }));
            }
        }
    }

    public void Dispose()
    {
        activity?.Dispose();
        scope?.Dispose();
    }
}
