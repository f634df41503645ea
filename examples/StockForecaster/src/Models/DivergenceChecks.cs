using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace StockForecaster.Models;

/// <summary>The tests a fitted model must pass before it is published; each returns the divergence it found, with numbers, or null.</summary>
internal static class DivergenceChecks
{
    /// <summary>Finds a NaN or infinite intercept, coefficient, residual sigma or criterion value.</summary>
    internal static Divergence? NonFinite(string ticker, double intercept, IReadOnlyList<double> coefficients, double sigma, double criterion)
    {
        if (double.IsFinite(intercept) && coefficients.All(double.IsFinite) && double.IsFinite(sigma) && double.IsFinite(criterion))
        {
            return null;
        }

        return new Divergence(ticker, DivergenceCause.NonFiniteParameters, Invariant(
            $"the fitted parameters are not all finite: intercept {intercept}, φ = {Format(coefficients)}, σ {sigma}, criterion {criterion}."));
    }

    /// <summary>Finds a root of 1 − φ1 z − … − φp z^p on or inside the unit circle, i.e. a companion-matrix eigenvalue of modulus 1 or more.</summary>
    internal static Divergence? NonStationary(string ticker, IReadOnlyList<double> coefficients)
    {
        double modulus;
        try
        {
            modulus = LargestCompanionModulus(coefficients);
        }
        catch (NonConvergenceException)
        {
            return new Divergence(ticker, DivergenceCause.NonStationary, Invariant(
                $"the eigenvalues of the companion matrix of φ = {Format(coefficients)} did not converge, so stationarity cannot be shown."));
        }

        if (modulus < 1.0)
        {
            return null;
        }

        return new Divergence(ticker, DivergenceCause.NonStationary, Invariant(
            $"the AR polynomial 1 − φ1 z − … − φp z^p with φ = {Format(coefficients)} has a root with |z| = {1.0 / modulus:G6} ≤ 1 (largest companion eigenvalue modulus {modulus:G6} ≥ 1), so the fitted process explodes or wanders."));
    }

    /// <summary>Returns the largest modulus of the eigenvalues of the AR companion matrix; the eigenvalues are the reciprocals of the roots of 1 − φ1 z − … − φp z^p, so the model is stationary exactly when it is below 1.</summary>
    internal static double LargestCompanionModulus(IReadOnlyList<double> coefficients)
    {
        int p = coefficients.Count;
        if (!coefficients.All(double.IsFinite))
        {
            return double.NaN;
        }

        Matrix<double> companion = Matrix<double>.Build.Dense(p, p);
        for (int j = 0; j < p; j++)
        {
            companion[0, j] = coefficients[j];
        }

        for (int i = 1; i < p; i++)
        {
            companion[i, i - 1] = 1.0;
        }

        return companion.Evd(Symmetricity.Asymmetric).EigenValues.Max(e => e.Magnitude);
    }

    /// <summary>Reports a final fit whose design could not be solved: non-finite input, singular or ill-conditioned, or a decomposition that did not converge.</summary>
    internal static Divergence? Unsolved(string ticker, ArFit fit, DateOnly from, DateOnly to)
    {
        return fit.Status switch
        {
            LeastSquaresStatus.Solved => null,
            LeastSquaresStatus.NonFiniteInput => new Divergence(ticker, DivergenceCause.NonFiniteParameters, Invariant(
                $"the AR({fit.Order}) fit on {from:yyyy-MM-dd}..{to:yyyy-MM-dd} saw a non-finite log return, so its parameters are not finite.")),
            LeastSquaresStatus.NotConverged => new Divergence(ticker, DivergenceCause.IllConditioned, Invariant(
                $"the SVD of the AR({fit.Order}) design on {from:yyyy-MM-dd}..{to:yyyy-MM-dd} did not converge.")),
            _ => new Divergence(ticker, DivergenceCause.IllConditioned, Invariant(
                $"the AR({fit.Order}) design on {from:yyyy-MM-dd}..{to:yyyy-MM-dd} has condition number {fit.ConditionNumber:G4} > {LeastSquares.MaxConditionNumber:G4} (columns scaled to unit length){(double.IsPositiveInfinity(fit.ConditionNumber) ? ": it is singular, as when prices do not move" : string.Empty)}.")),
        };
    }

    /// <summary>Reports backtest refits whose normal equations were singular or ill-conditioned.</summary>
    internal static Divergence? SingularRefits(string ticker, BacktestOutcome outcome, int refits, DateOnly firstDate)
    {
        if (outcome.SingularRefits == 0)
        {
            return null;
        }

        return new Divergence(ticker, DivergenceCause.IllConditioned, Invariant(
            $"{outcome.SingularRefits} of {refits} backtest refits had singular or ill-conditioned normal equations (Cholesky pivot below {RollingArBacktest.MinPivotRatio:G2} of its diagonal), the first for {firstDate:yyyy-MM-dd}."));
    }

    /// <summary>Finds a backtest whose Theil's U exceeds 1 + <paramref name="margin"/>, or is not a number.</summary>
    internal static Divergence? WorseThanRandomWalk(string ticker, ForecastMetrics ar, ForecastMetrics randomWalk, double margin)
    {
        if (ar.TheilU <= 1.0 + margin)
        {
            return null;
        }

        return new Divergence(ticker, DivergenceCause.WorseThanRandomWalk, Invariant(
            $"Theil's U {ar.TheilU:G4} > {1.0 + margin:G4} (1 + margin {margin:G4}): backtest RMSE {ar.Rmse:G4} against the random walk's {randomWalk.Rmse:G4} over {ar.Forecasts} days."));
    }

    /// <summary>Finds an AR coefficient that moved more than <paramref name="maxJump"/> from the last good model; a coefficient missing from either order counts as 0.</summary>
    internal static Divergence? CoefficientJump(string ticker, IReadOnlyList<double> coefficients, TickerModel? previous, double maxJump)
    {
        if (previous is null)
        {
            return null;
        }

        int p = Math.Max(coefficients.Count, previous.Coefficients.Length);
        int worst = -1;
        double worstJump = 0;
        for (int j = 0; j < p; j++)
        {
            double jump = Math.Abs(At(coefficients, j) - At(previous.Coefficients, j));
            if (!(jump <= worstJump))
            {
                worst = j;
                worstJump = jump;
            }
        }

        if (worst < 0 || worstJump <= maxJump)
        {
            return null;
        }

        return new Divergence(ticker, DivergenceCause.CoefficientJump, Invariant(
            $"φ{worst + 1} moved from {At(previous.Coefficients, worst):G4} to {At(coefficients, worst):G4} (|Δ| {worstJump:G4} > {maxJump:G4}) since the last good model (AR({previous.Order}) fitted to {previous.FittedTo:yyyy-MM-dd})."));
    }

    private static double At(IReadOnlyList<double> values, int index) => index < values.Count ? values[index] : 0.0;

    private static string Format(IReadOnlyList<double> values) => "[" + string.Join(", ", values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
