namespace StockForecaster.Validation;

/// <summary>What validation does when a source's header differs from the contract.</summary>
public enum SchemaDriftPolicy
{
    /// <summary>Fails the step with the whole diff in the message.</summary>
    Fail,

    /// <summary>Records a <c>schema-drift</c> warning and proceeds when every required column can still be read.</summary>
    Warn,
}
