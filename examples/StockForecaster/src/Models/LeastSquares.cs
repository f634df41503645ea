using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace StockForecaster.Models;

/// <summary>Ordinary least squares by Householder QR, refusing designs too ill-conditioned to trust.</summary>
internal static class LeastSquares
{
    /// <summary>The largest condition number of the column-equilibrated design that is still solved; beyond it about six of the sixteen significant digits are lost and the design is treated as singular.</summary>
    internal const double MaxConditionNumber = 1e6;

    /// <summary>Solves min ‖y − Xβ‖₂ by QR, after measuring the conditioning of X with its columns scaled to unit length.</summary>
    internal static LeastSquaresFit Solve(Matrix<double> design, Vector<double> target) =>
        Solve(design.ToColumnMajorArray(), design.RowCount, design.ColumnCount, target.ToArray());

    /// <summary>Solves min ‖y − Xβ‖₂ for X given column by column as <paramref name="design"/> (n rows, k columns), leaving the arrays unchanged.</summary>
    internal static LeastSquaresFit Solve(double[] design, int n, int k, double[] target)
    {
        if (!AllFinite(design) || !AllFinite(target))
        {
            return Failed(LeastSquaresStatus.NonFiniteInput, k, double.NaN, n);
        }

        // Scaling columns to unit length removes the arbitrary scale gap between the intercept column and
        // returns of order 0.01; what remains in the condition number is genuine collinearity (van der Sluis).
        var scaled = new double[n * k];
        var norms = new double[k];
        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<double> column = design.AsSpan(j * n, n);
            double sumOfSquares = 0;
            foreach (double value in column)
            {
                sumOfSquares += value * value;
            }

            norms[j] = Math.Sqrt(sumOfSquares);
            if (!(norms[j] > 0))
            {
                // An all-zero column (prices that never move) is exactly singular.
                return Failed(LeastSquaresStatus.IllConditioned, k, double.PositiveInfinity, n);
            }

            for (int i = 0; i < n; i++)
            {
                scaled[(j * n) + i] = column[i] / norms[j];
            }
        }

        // X = QR with orthonormal Q, so X and the k×k factor R share their singular values: the SVD of R measures
        // the conditioning of X without the n×n work array a decomposition of X itself would allocate.
        QR<double> qr = Matrix<double>.Build.Dense(n, k, scaled).QR(QRMethod.Thin);
        double condition;
        try
        {
            condition = qr.R.Svd(computeVectors: false).ConditionNumber;
        }
        catch (NonConvergenceException)
        {
            return Failed(LeastSquaresStatus.NotConverged, k, double.NaN, n);
        }

        if (!(condition <= MaxConditionNumber))
        {
            return Failed(LeastSquaresStatus.IllConditioned, k, double.IsNaN(condition) ? double.PositiveInfinity : condition, n);
        }

        Vector<double> scaledBeta = qr.Solve(Vector<double>.Build.Dense(target));
        var beta = new double[k];
        for (int j = 0; j < k; j++)
        {
            beta[j] = scaledBeta[j] / norms[j];
        }

        double rss = 0;
        for (int i = 0; i < n; i++)
        {
            double residual = target[i];
            for (int j = 0; j < k; j++)
            {
                residual -= design[(j * n) + i] * beta[j];
            }

            rss += residual * residual;
        }

        return new LeastSquaresFit(LeastSquaresStatus.Solved, beta, rss, condition, n);
    }

    private static LeastSquaresFit Failed(LeastSquaresStatus status, int k, double condition, int n)
    {
        var nan = new double[k];
        Array.Fill(nan, double.NaN);
        return new LeastSquaresFit(status, nan, double.NaN, condition, n);
    }

    private static bool AllFinite(double[] values)
    {
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
