using System.Diagnostics.CodeAnalysis;

namespace Sluice.Alerts;

/// <summary>What an alert is about: one of Sluice's own kinds or a step's kind of its own, named in lower case with '-' (<c>price-spike</c>).</summary>
/// <remarks>Sinks choose the kinds they receive by these names, so a name is stable once alerts are configured on it.</remarks>
public readonly record struct AlertKind
{
    private static readonly AlertKind[] BuiltIns =
    [
        new("run-failed"), new("step-failed"), new("data-quality"), new("model-divergence"), new("schedule-missed"), new("run-succeeded"), new("test"),
    ];

    private AlertKind(string name) => Name = name;

    /// <summary>Gets the kind's name.</summary>
    public string Name { get; }

    /// <summary>Gets the kind raised by Sluice when a run ends failed.</summary>
    public static AlertKind RunFailed => BuiltIns[0];

    /// <summary>Gets the kind raised by Sluice when a step fails for good, after its retries.</summary>
    public static AlertKind StepFailed => BuiltIns[1];

    /// <summary>Gets the kind a step raises when its input data breaks expectations (missing days, outliers).</summary>
    public static AlertKind DataQuality => BuiltIns[2];

    /// <summary>Gets the kind a step raises when a model's fit or forecast goes wrong.</summary>
    public static AlertKind ModelDivergence => BuiltIns[3];

    /// <summary>Gets the kind raised by Sluice when a scheduled run did not start within its grace period.</summary>
    public static AlertKind ScheduleMissed => BuiltIns[4];

    /// <summary>Gets the kind raised by Sluice when a run succeeds; raised only when <see cref="AlertSettings.OnSuccess"/> is set.</summary>
    public static AlertKind RunSucceeded => BuiltIns[5];

    /// <summary>Gets the kind of the alert <c>alerts test</c> sends to every sink.</summary>
    public static AlertKind Test => BuiltIns[6];

    /// <summary>Gets every kind Sluice names itself, in a stable order.</summary>
    public static IReadOnlyList<AlertKind> Known => BuiltIns;

    /// <summary>Gets whether Sluice raises this kind itself, so a step may not.</summary>
    public bool IsRaisedBySluice => this == RunFailed || this == StepFailed || this == ScheduleMissed || this == RunSucceeded || this == Test;

    /// <summary>Returns a step's own kind; throws <see cref="ArgumentException"/> when the name is not lower-case letters, digits and '-'.</summary>
    public static AlertKind Custom(string name) =>
        TryParse(name, out AlertKind kind)
            ? kind
            : throw new ArgumentException($"'{name}' is not an alert kind name: use lower-case letters, digits and '-', such as 'price-spike'.", nameof(name));

    /// <summary>Parses a kind name; a known name returns the known kind.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AlertKind kind)
    {
        kind = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64 || text[0] == '-' || text[^1] == '-'
            || !text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return false;
        }

        kind = Array.Find(BuiltIns, k => k.Name == text) is { Name: not null } known ? known : new AlertKind(text);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? "";
}
