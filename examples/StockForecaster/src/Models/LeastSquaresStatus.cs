namespace StockForecaster.Models;

/// <summary>Whether a least-squares solve produced usable coefficients.</summary>
internal enum LeastSquaresStatus
{
    /// <summary>The design was well conditioned and the coefficients are finite.</summary>
    Solved,

    /// <summary>The design or the target held a NaN or an infinity.</summary>
    NonFiniteInput,

    /// <summary>The column-equilibrated design's condition number exceeded <see cref="LeastSquares.MaxConditionNumber"/> (infinite when singular).</summary>
    IllConditioned,

    /// <summary>The singular value decomposition that measures the conditioning did not converge.</summary>
    NotConverged,
}
