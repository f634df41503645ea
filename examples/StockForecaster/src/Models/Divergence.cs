namespace StockForecaster.Models;

/// <summary>One reason one ticker's model diverged, with the numbers that show it.</summary>
/// <param name="Ticker">The ticker whose model diverged.</param>
/// <param name="Cause">What kind of divergence it is.</param>
/// <param name="Detail">A sentence for a person naming the offending values and the limit they broke.</param>
public sealed record Divergence(string Ticker, DivergenceCause Cause, string Detail)
{
    /// <summary>Gets the stable code of <see cref="Cause"/>, for example <c>non-stationary</c>, that a test or an alert rule can match.</summary>
    public string Code => Cause switch
    {
        DivergenceCause.NonFiniteParameters => "non-finite",
        DivergenceCause.NonStationary => "non-stationary",
        DivergenceCause.IllConditioned => "ill-conditioned",
        DivergenceCause.WorseThanRandomWalk => "worse-than-random-walk",
        DivergenceCause.CoefficientJump => "coefficient-jump",
        _ => Cause.ToString(),
    };

    /// <summary>Formats the divergence as one line: ticker, code and detail.</summary>
    public override string ToString() => $"{Ticker}: {Code}: {Detail}";
}
