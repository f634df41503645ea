using System.Globalization;
using Cronos;

namespace Sluice.Alerts;

/// <summary>Raises <c>schedule-missed</c> when a scheduled time's grace period ended with no run started since that time.</summary>
/// <remarks>
/// Checked at the start of every <c>run</c> (before the run is recorded, so it does not count itself) and by
/// <c>alerts check</c>, which cron or a systemd timer can call. Each missed time raises one alert, deduplicated across
/// processes through the store by the time's key; when several were missed since the last run, only the latest is
/// raised, with the count. A pipeline that never ran raises nothing: the schedule is watched from its first run.
/// </remarks>
public static class ScheduleWatch
{
    private const int CountCap = 1000;

    // Search backwards in growing windows, so a frequent schedule costs a handful of occurrences, not a year of them.
    private static readonly TimeSpan[] Windows =
        [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromDays(32), TimeSpan.FromDays(367), TimeSpan.FromDays(366 * 5)];

    /// <summary>Checks the schedule of <paramref name="pipeline"/> and raises <c>schedule-missed</c> through <paramref name="publisher"/> when a time was missed.</summary>
    public static async Task<ScheduleCheck> CheckAsync(
        AlertScheduleSettings schedule, string pipeline, IAlertStore store, IAlertPublisher publisher, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(time);
        if (!schedule.IsSet)
        {
            return new ScheduleCheck(null, 0, null, false, "no schedule configured (Sluice:Alerts:Schedule:Cron)");
        }

        CronExpression cron = schedule.Expression();
        TimeZoneInfo zone = schedule.Zone();
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset? latestRun = await store.LatestRunStartAsync(pipeline, cancellationToken).ConfigureAwait(false);
        if (latestRun is not { } last)
        {
            return new ScheduleCheck(null, 0, null, false, $"{pipeline} has not run yet: the schedule is watched from its first run");
        }

        DateTimeOffset cutoff = now - schedule.Grace;
        DateTime? missed = cutoff > last ? Latest(cron, zone, last.UtcDateTime, cutoff.UtcDateTime) : null;
        if (missed is not { } due)
        {
            DateTime? next = cron.GetNextOccurrence(last.UtcDateTime, zone);
            string nextText = next is { } n ? $"; next scheduled at {Local(n, zone)}" : "";
            return new ScheduleCheck(null, 0, last, false, $"on time: the latest run started at {Local(last.UtcDateTime, zone)}{nextText}");
        }

        int count = cron.GetOccurrences(last.UtcDateTime, cutoff.UtcDateTime, zone, fromInclusive: false, toInclusive: true).Take(CountCap).Count();
        var dueAt = new DateTimeOffset(due, TimeSpan.Zero);
        string key = $"{AlertKind.ScheduleMissed}/{pipeline}/{due.ToString("O", CultureInfo.InvariantCulture)}";
        AlertRecord? earlier = await store.FindAlertAsync(key, cancellationToken).ConfigureAwait(false);
        string what = $"missed: no run started since {Local(due, zone)} (grace {Describe(schedule.Grace)}, ended {Local(due + schedule.Grace, zone)})";
        if (earlier is not null)
        {
            return new ScheduleCheck(dueAt, count, last, false, $"{what}; alerted at {Local(earlier.Alert.At.UtcDateTime, zone)}");
        }

        string more = count > 1 ? $" {(count >= CountCap ? $"{CountCap} or more" : count.ToString(CultureInfo.InvariantCulture))} scheduled times were missed since then." : "";
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cron"] = schedule.Cron!.Trim(),
            ["time_zone"] = zone.Id,
            ["scheduled_at"] = dueAt.ToString("O", CultureInfo.InvariantCulture),
            ["deadline"] = dueAt.Add(schedule.Grace).ToString("O", CultureInfo.InvariantCulture),
            ["latest_run_at"] = last.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["missed_count"] = count.ToString(CultureInfo.InvariantCulture),
        };
        publisher.Publish(new Alert(
            AlertKind.ScheduleMissed, pipeline, null, null, $"Scheduled run of {pipeline} missed",
            $"No run of {pipeline} started since its scheduled time {Local(due, zone)} ('{schedule.Cron!.Trim()}'); the grace period of {Describe(schedule.Grace)} ended at {Local(due + schedule.Grace, zone)}. The latest run started at {Local(last.UtcDateTime, zone)}.{more}",
            now, details) { DedupeKey = key });
        return new ScheduleCheck(dueAt, count, last, true, $"{what}; schedule-missed raised");
    }

    /// <summary>Returns the latest occurrence in (<paramref name="after"/>, <paramref name="upTo"/>], or null.</summary>
    private static DateTime? Latest(CronExpression cron, TimeZoneInfo zone, DateTime after, DateTime upTo)
    {
        foreach (TimeSpan window in Windows)
        {
            DateTime from = upTo - window > after ? upTo - window : after;
            DateTime? found = null;
            foreach (DateTime occurrence in cron.GetOccurrences(from, upTo, zone, fromInclusive: false, toInclusive: true))
            {
                found = occurrence;
            }

            if (found is not null || from == after)
            {
                return found;
            }
        }

        return cron.GetOccurrences(after, upTo, zone, fromInclusive: false, toInclusive: true).LastOrDefault() is { } last && last != default ? last : null;
    }

    private static string Describe(TimeSpan grace) =>
        grace.Ticks % TimeSpan.TicksPerHour == 0 && grace > TimeSpan.Zero ? $"{(long)grace.TotalHours} h"
        : grace.Ticks % TimeSpan.TicksPerMinute == 0 && grace > TimeSpan.Zero ? $"{(long)grace.TotalMinutes} min"
        : Execution.StepRunner.Format(grace);

    private static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        + (zone == TimeZoneInfo.Utc ? " UTC" : $" {zone.Id}");
}
