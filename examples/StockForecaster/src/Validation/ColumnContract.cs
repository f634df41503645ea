namespace StockForecaster.Validation;

/// <summary>One column the data contract expects.</summary>
/// <param name="Name">The canonical name as declared, for example <c>adjclose</c>.</param>
/// <param name="Type">The type its values must parse as.</param>
/// <param name="Required">Whether a source must have it; an absent optional column is substituted (see <see cref="DataContract"/>).</param>
/// <param name="Aliases">Other header names accepted for it, for example <c>Adj Close</c>; case, spaces and punctuation never matter.</param>
public sealed record ColumnContract(string Name, ColumnType Type, bool Required, IReadOnlyList<string> Aliases);
