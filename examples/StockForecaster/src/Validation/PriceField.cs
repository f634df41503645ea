namespace StockForecaster.Validation;

/// <summary>The fields of a <see cref="Data.PriceSeries"/> a contract column can feed; the values index per-row arrays.</summary>
internal enum PriceField
{
    Date,
    Open,
    High,
    Low,
    Close,
    AdjClose,
    Volume,
}
