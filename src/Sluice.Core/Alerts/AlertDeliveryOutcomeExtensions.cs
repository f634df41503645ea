namespace Sluice.Alerts;

/// <summary>The stored and printed names of <see cref="AlertDeliveryOutcome"/>.</summary>
public static class AlertDeliveryOutcomeExtensions
{
    private static readonly string[] Texts = ["delivered", "failed", "timed-out", "rejected", "abandoned"];

    /// <summary>Returns the outcome's lower-case name (<c>timed-out</c>).</summary>
    public static string ToText(this AlertDeliveryOutcome outcome) => Texts[(int)outcome];

    /// <summary>Parses a name written by <see cref="ToText"/>.</summary>
    public static bool TryParse(string text, out AlertDeliveryOutcome outcome)
    {
        int index = Array.IndexOf(Texts, text);
        outcome = index >= 0 ? (AlertDeliveryOutcome)index : default;
        return index >= 0;
    }
}
