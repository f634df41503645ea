using System.ComponentModel.DataAnnotations;

namespace Sluice.Alerts;

/// <summary>Sluice's alert settings, bound from the configuration section <c>Sluice:Alerts</c>: named sinks, which alerts are raised, delivery, and the schedule watched.</summary>
/// <remarks>Validated with every other setting at start-up; each problem names its key (<c>Sluice:Alerts:Sinks:ops:Url</c>).</remarks>
public sealed class AlertSettings : IValidatableObject
{
    /// <summary>The configuration section these settings are bound from.</summary>
    public const string Section = "Sluice:Alerts";

    /// <summary>Gets or sets the sinks alerts are delivered to, by name.</summary>
    /// <value>The default value is empty: alerts are off.</value>
    public Dictionary<string, AlertSinkSettings> Sinks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether a succeeded run raises <c>run-succeeded</c>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool OnSuccess { get; set; }

    /// <summary>Gets or sets how alerts are delivered: retries, backoff, timeouts and the drain at exit.</summary>
    public AlertDeliverySettings Delivery { get; set; } = new();

    /// <summary>Gets or sets the schedule whose missed runs raise <c>schedule-missed</c>.</summary>
    public AlertScheduleSettings Schedule { get; set; } = new();

    /// <summary>Gets whether anything about alerts is configured: a sink or a schedule.</summary>
    public bool IsEnabled => Sinks.Count > 0 || Schedule.IsSet;

    /// <summary>Returns whether Sluice raises alerts of <paramref name="kind"/> at all under these settings.</summary>
    public bool Raises(AlertKind kind) => kind != AlertKind.RunSucceeded || OnSuccess;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Member names are relative to this section: the binder prefixes them with 'Sluice:Alerts:'.
        var results = new List<ValidationResult>();
        void Problem(string key, string message) => results.Add(new ValidationResult(message, [key]));

        foreach ((string name, AlertSinkSettings sink) in Sinks.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                Problem($"Sinks:{name}", $"'{name}' is not a sink name: use letters, digits, '-' and '_'.");
            }

            sink.Validate(name, $"Sinks:{name}", OnSuccess, Problem);
        }

        Delivery.Validate(nameof(Delivery), Problem);
        Schedule.Validate(nameof(Schedule), Problem);
        return results;
    }
}
