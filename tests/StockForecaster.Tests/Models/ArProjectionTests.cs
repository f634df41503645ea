using MathNet.Numerics.Distributions;
using StockForecaster.Models;

namespace StockForecaster.Tests.Models;

/// <summary>The h-day forecast against closed forms.</summary>
public sealed class ArProjectionTests
{
    [Fact]
    public void PsiWeights_Ar2_MatchHandRecursion()
    {
        // ψ1 = φ1; ψ2 = φ1ψ1 + φ2; ψ3 = φ1ψ2 + φ2ψ1.
        double[] psi = ArProjection.PsiWeights([0.5, -0.3], 4);

        Assert.Equal([1.0, 0.5, -0.05, -0.175], psi.Select(v => Math.Round(v, 12)));
    }

    [Theory]
    [InlineData(0.6, 0.95)]
    [InlineData(-0.4, 0.8)]
    public void Project_Ar1_MatchesTheClosedForm(double phi, double level)
    {
        const double c = 0.0005;
        const double sigma = 0.012;
        const double lastReturn = -0.02;
        const double lastPrice = 250.0;
        const int horizon = 10;

        var points = ArProjection.Project([0.01, lastReturn], c, [phi], sigma, lastPrice, horizon, level);

        // AR(1): r̂_{N+i} = μ + φ^i (r_N − μ) with μ = c / (1 − φ), so m_h = hμ + (r_N − μ) φ (1 − φ^h) / (1 − φ);
        // the log price's weights are Ψ_j = (1 − φ^{j+1}) / (1 − φ), so var_h = σ² Σ_{j<h} Ψ_j².
        double mu = c / (1 - phi);
        double z = Normal.InvCDF(0, 1, 0.5 + (level / 2));
        for (int h = 1; h <= horizon; h++)
        {
            double mean = (h * mu) + ((lastReturn - mu) * phi * (1 - Math.Pow(phi, h)) / (1 - phi));
            double variance = 0;
            for (int j = 0; j < h; j++)
            {
                double weight = (1 - Math.Pow(phi, j + 1)) / (1 - phi);
                variance += sigma * sigma * weight * weight;
            }

            Assert.Equal(lastPrice * Math.Exp(mean), points[h - 1].Price, 1e-9);
            Assert.Equal(lastPrice * Math.Exp(mean - (z * Math.Sqrt(variance))), points[h - 1].Lower, 1e-9);
            Assert.Equal(lastPrice * Math.Exp(mean + (z * Math.Sqrt(variance))), points[h - 1].Upper, 1e-9);
        }
    }

    [Fact]
    public void Project_WhiteNoise_IntervalGrowsWithTheSquareRootOfTheHorizon()
    {
        var points = ArProjection.Project([0.0], 0.0, [0.0], 0.01, 100.0, 4, 0.95);

        Assert.Equal(100.0 * Math.Exp(1.959963984540054 * 0.01 * 2), points[3].Upper, 1e-9);
        Assert.Equal(100.0, points[3].Price, 12);
    }
}
