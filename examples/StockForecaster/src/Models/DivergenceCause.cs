namespace StockForecaster.Models;

/// <summary>Why a ticker's model is not fit to publish.</summary>
public enum DivergenceCause
{
    /// <summary>A parameter, the residual sigma or the criterion is NaN or infinite, or the data it was fitted on held a non-finite log return (code <c>non-finite</c>).</summary>
    NonFiniteParameters,

    /// <summary>The AR polynomial 1 − φ1 z − … − φp z^p has a root on or inside the unit circle (code <c>non-stationary</c>).</summary>
    NonStationary,

    /// <summary>The design was singular or too ill-conditioned to solve, or its decomposition did not converge (code <c>ill-conditioned</c>).</summary>
    IllConditioned,

    /// <summary>The backtest RMSE exceeded the random walk's by more than the divergence margin (code <c>worse-than-random-walk</c>).</summary>
    WorseThanRandomWalk,

    /// <summary>An AR coefficient moved further from the last good model than the allowed jump (code <c>coefficient-jump</c>).</summary>
    CoefficientJump,
}
