namespace StockForecaster.Models;

/// <summary>An AR(p) model with intercept fitted by least squares: r_t = c + φ1 r_{t−1} + … + φp r_{t−p} + ε_t.</summary>
/// <param name="Status">Whether the solve succeeded; when not, the parameters are NaN.</param>
/// <param name="Order">The order p.</param>
/// <param name="Intercept">The intercept c.</param>
/// <param name="Coefficients">The coefficients φ1..φp.</param>
/// <param name="Rss">The residual sum of squares over the targets.</param>
/// <param name="Targets">The number n of returns regressed on their lags.</param>
/// <param name="ConditionNumber">The condition number of the column-equilibrated design.</param>
internal sealed record ArFit(LeastSquaresStatus Status, int Order, double Intercept, double[] Coefficients, double Rss, int Targets, double ConditionNumber)
{
    /// <summary>Gets the number k = p + 1 of estimated regression parameters (the intercept and the coefficients; σ is not counted).</summary>
    internal int Parameters => Order + 1;

    /// <summary>Gets the residual standard deviation σ = √(RSS / (n − k)), unbiased for the error variance.</summary>
    internal double Sigma => Math.Sqrt(Rss / (Targets - Parameters));

    /// <summary>Gets Akaike's criterion AIC = n ln(RSS / n) + 2k.</summary>
    internal double Aic => (Targets * Math.Log(Rss / Targets)) + (2.0 * Parameters);

    /// <summary>Gets Schwarz's criterion BIC = n ln(RSS / n) + k ln n.</summary>
    internal double Bic => (Targets * Math.Log(Rss / Targets)) + (Parameters * Math.Log(Targets));
}
