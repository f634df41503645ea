namespace StockForecaster.Validation;

/// <summary>What a cell's text looks like, most specific first: an integer is also a decimal number.</summary>
internal enum CellKind
{
    Missing,
    Integer,
    Decimal,
    Date,
    Text,
}
