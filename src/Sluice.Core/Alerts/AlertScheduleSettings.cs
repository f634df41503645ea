using Cronos;

namespace Sluice.Alerts;

/// <summary>When the pipeline is expected to run, so a run that did not start in time raises <c>schedule-missed</c>; bound from <c>Sluice:Alerts:Schedule</c>.</summary>
public sealed class AlertScheduleSettings
{
    /// <summary>Gets or sets the cron expression of the expected runs: five fields (minute hour day month weekday), or six with seconds first.</summary>
    /// <value>The default value is <see langword="null"/>: no schedule is watched.</value>
    public string? Cron { get; set; }

    /// <summary>Gets or sets the time zone the cron expression is read in, as an IANA id (<c>Europe/London</c>).</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string? TimeZone { get; set; }

    /// <summary>Gets or sets how long after a scheduled time a run may start before the time counts as missed.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets whether a schedule is configured.</summary>
    public bool IsSet => !string.IsNullOrWhiteSpace(Cron);

    /// <summary>Returns the parsed expression; call only on validated settings with <see cref="IsSet"/>.</summary>
    public CronExpression Expression() => Parse(Cron!) ?? throw new InvalidOperationException($"Schedule '{Cron}' is not a valid cron expression.");

    /// <summary>Returns the time zone; call only on validated settings.</summary>
    public TimeZoneInfo Zone() => string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    internal void Validate(string path, Action<string, string> problem)
    {
        if (!IsSet)
        {
            if (TimeZone is not null)
            {
                problem($"{path}:TimeZone", "a time zone is given but no Cron: give the schedule's cron expression, such as '0 6 * * 1-5'.");
            }

            return;
        }

        if (Parse(Cron!) is null)
        {
            problem($"{path}:Cron", $"'{Cron}' is not a cron expression: give five fields (minute hour day-of-month month day-of-week), such as '0 6 * * 1-5', or six with seconds first.");
        }

        if (!string.IsNullOrWhiteSpace(TimeZone))
        {
            try
            {
                _ = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                problem($"{path}:TimeZone", $"'{TimeZone}' is not a time zone known to this machine: give an IANA id such as 'Europe/London' or 'UTC'.");
            }
        }

        if (Grace < TimeSpan.Zero || Grace > TimeSpan.FromDays(7))
        {
            problem($"{path}:Grace", $"{Grace} is out of range: give 00:00:00 to 7.00:00:00.");
        }
    }

    private static CronExpression? Parse(string text)
    {
        string trimmed = text.Trim();
        CronFormat format = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.TryParse(trimmed, format, out CronExpression? expression) ? expression : null;
    }
}
