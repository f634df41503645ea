namespace StockForecaster.Validation;

/// <summary>The type a contract column's values must parse as.</summary>
public enum ColumnType
{
    /// <summary>A calendar date in the contract's date format; <c>"date"</c> in the contract file.</summary>
    Date,

    /// <summary>A decimal number in invariant culture, for example <c>1455.219971</c>; <c>"decimal"</c> in the contract file.</summary>
    DecimalNumber,

    /// <summary>A whole number in invariant culture, for example <c>931800000</c>; <c>"integer"</c> in the contract file.</summary>
    WholeNumber,
}
