using System.Globalization;
using Sluice.State;

namespace Sluice.Alerts;

/// <summary>The alerts the engine raises itself, worded once: a step that failed for good, a run that failed or succeeded.</summary>
internal static class EngineAlerts
{
    /// <summary>Raises <c>step-failed</c>: called only when the step's last attempt failed, never for an attempt that will be retried.</summary>
    public static void StepFailed(IAlertPublisher? publisher, string pipeline, RunId run, string step, int attempts, string? errorType, string? errorMessage, string reason, DateTimeOffset at)
    {
        if (publisher is null)
        {
            return;
        }

        string error = errorType is null ? errorMessage ?? "" : $"{ShortType(errorType)}: {errorMessage}";
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["attempts"] = attempts.ToString(CultureInfo.InvariantCulture),
            ["reason"] = reason,
        };
        if (errorType is not null)
        {
            details["error_type"] = errorType;
        }

        publisher.Publish(new Alert(
            AlertKind.StepFailed, pipeline, run, step, $"Step '{step}' of {pipeline} failed",
            $"Step '{step}' failed in run {run} ({reason}): {error}", at, details));
    }

    /// <summary>Raises <c>run-failed</c> for a failed run, <c>run-succeeded</c> for a succeeded one; nothing for a cancelled run, which a person asked for.</summary>
    public static void RunEnded(IAlertPublisher? publisher, string pipeline, RunId run, RunStatus status, string reason, TimeSpan duration, string? firstFailure, DateTimeOffset at)
    {
        if (publisher is null || status is not (RunStatus.Failed or RunStatus.Succeeded))
        {
            return;
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = status.ToText(),
            ["reason"] = reason,
            ["duration_ms"] = ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (status == RunStatus.Failed)
        {
            publisher.Publish(new Alert(
                AlertKind.RunFailed, pipeline, run, firstFailure, $"Run of {pipeline} failed",
                $"Run {run} of {pipeline} failed: {reason}. See 'show {run}'.", at, details));
        }
        else
        {
            publisher.Publish(new Alert(
                AlertKind.RunSucceeded, pipeline, run, null, $"Run of {pipeline} succeeded",
                $"Run {run} of {pipeline} succeeded: {reason}.", at, details));
        }
    }

    private static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];
}
