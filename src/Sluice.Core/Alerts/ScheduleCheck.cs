namespace Sluice.Alerts;

/// <summary>What a schedule check found.</summary>
/// <param name="Missed">The latest scheduled time whose grace period ended with no run started since it, if any.</param>
/// <param name="MissedCount">How many scheduled times were missed since the latest run (capped at 1000).</param>
/// <param name="LatestRun">When the pipeline's latest run was created, if it ever ran.</param>
/// <param name="Raised">Whether this check raised <c>schedule-missed</c> for <paramref name="Missed"/>.</param>
/// <param name="Summary">One line for a person: on time, missed and alerted, or missed and alerted before.</param>
public sealed record ScheduleCheck(DateTimeOffset? Missed, int MissedCount, DateTimeOffset? LatestRun, bool Raised, string Summary);
