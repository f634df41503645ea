namespace StockForecaster.Validation;

/// <summary>The header compared with the contract: the layout to parse with and the diff, entry by entry.</summary>
/// <param name="Layout">Which column feeds which field.</param>
/// <param name="Diff">Each difference, for example <c>renamed 'close' -> 'Closing Price'</c>, in the order added, removed, renamed, retyped.</param>
/// <param name="Drift">Whether anything differs beyond optional columns being absent (which the contract allows).</param>
/// <param name="Blocking">Whether the series cannot be read whatever the policy: a required column absent or unreadable, or two columns claiming one field.</param>
internal sealed record SchemaMatch(ColumnLayout Layout, List<string> Diff, bool Drift, bool Blocking);
