namespace Sluice.Telemetry;

/// <summary>Lets a step record its own measurements (<c>ctx.Metrics.Record("rows_ingested", 5105)</c>): kept with the run, exported as <c>sluice.step.measurement</c>, shown by <c>show</c>.</summary>
/// <remarks>Thread-safe. Recording the same name again in a run replaces the value: a measurement is the step's latest figure, not a sum.</remarks>
public sealed class StepMetrics
{
    private const int MaxNameLength = 64;
    private const int MaxUnitLength = 32;

    private readonly RunTelemetry? _run;
    private readonly string _step;
    private readonly int _attempt;

    internal StepMetrics(RunTelemetry? run, string step, int attempt)
    {
        _run = run;
        _step = step;
        _attempt = attempt;
    }

    /// <summary>Gets metrics that check what they are given and keep nothing, for a context outside a run.</summary>
    internal static StepMetrics None { get; } = new(null, "", 0);

    /// <summary>Records <paramref name="value"/> under <paramref name="name"/> (lower-case letters, digits, '_' and '.'), with an optional unit such as <c>s</c>, <c>By</c> or <c>ratio</c>.</summary>
    /// <exception cref="ArgumentException">The name or unit is not valid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public void Record(string name, double value, string? unit = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"Measurement name '{name}' is not valid: use 1 to {MaxNameLength} lower-case letters, digits, '_' and '.', starting with a letter (for example 'rows_ingested').",
                nameof(name));
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Measurement '{name}' of step '{_step}' is {value}: record a finite number.");
        }

        if (unit is not null && (unit.Length is 0 or > MaxUnitLength || unit.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException(
                $"Unit '{unit}' of measurement '{name}' is not valid: use 1 to {MaxUnitLength} characters without spaces (for example 's', 'By', 'ratio'), or leave it out.",
                nameof(unit));
        }

        _run?.Record(_step, _attempt, name, value, unit);
    }

    internal static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
