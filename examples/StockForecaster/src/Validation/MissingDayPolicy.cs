namespace StockForecaster.Validation;

/// <summary>What validation does with trading days the exchange was open but the series has no row for.</summary>
public enum MissingDayPolicy
{
    /// <summary>Fails the step, naming the missing dates.</summary>
    Fail,

    /// <summary>Records a <c>missing-days</c> warning naming the dates and leaves the gaps.</summary>
    Warn,

    /// <summary>Inserts each missing day with the previous close as open, high, low and close and a volume of 0, and records a warning.</summary>
    FillForward,
}
