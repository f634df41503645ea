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
    internal static LeastSquaresFit Solve(Matrix<double> design, Vector<double> target)
    {
        int k = design.ColumnCount;
        int n = design.RowCount;
        if (!AllFinite(design.ToColumnMajorArray()) || !AllFinite(target.ToArray()))
        {
            return Failed(LeastSquaresStatus.NonFiniteInput, k, double.NaN, n);
        }

        // Scaling columns to unit length removes the arbitrary scale gap between the intercept column and
        // returns of order 0.01; what remains in the condition number is genuine collinearity (van der Sluis).
        Matrix<double> scaled = design.Clone();
        var norms = new double[k];
        for (int j = 0; j < k; j++)
        {
            norms[j] = design.Column(j).L2Norm();
            if (!(norms[j] > 0))
            {
                // An all-zero column (prices that never move) is exactly singular.
                return Failed(LeastSquaresStatus.IllConditioned, k, double.PositiveInfinity, n);
            }

            scaled.SetColumn(j, design.Column(j) / norms[j]);
        }

        // X = QR with orthonormal Q, so X and the k×k factor R share their singular values: the SVD of R measures
        // the conditioning of X without the n×n work array a decomposition of X itself would allocate.
        QR<double> qr = scaled.QR(QRMethod.Thin);
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

        Vector<double> scaledBeta = qr.Solve(target);
        var beta = new double[k];
        for (int j = 0; j < k; j++)
        {
            beta[j] = scaledBeta[j] / norms[j];
        }

        Vector<double> residuals = target - (design * Vector<double>.Build.DenseOfArray(beta));
        double rss = residuals.DotProduct(residuals);
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
