using System.Globalization;
using System.Text;
using Sluice.Definitions;

namespace StockForecaster.Models;

/// <summary>Thrown when one or more tickers' models diverged; it lists every diverged ticker and why, and derives from <see cref="DataValidationException"/> because refitting the same data cannot help, so Sluice does not retry it.</summary>
public sealed class ModelDivergedException : DataValidationException
{
    /// <summary>Creates the exception from every divergence found, in ticker order.</summary>
    public ModelDivergedException(IReadOnlyList<Divergence> divergences, int tickerCount)
        : base(Describe(divergences, tickerCount))
    {
        Divergences = divergences;
    }

    /// <summary>Gets every divergence found, grouped by ticker in the order of the clean prices.</summary>
    public IReadOnlyList<Divergence> Divergences { get; }

    private static string Describe(IReadOnlyList<Divergence> divergences, int tickerCount)
    {
        ArgumentNullException.ThrowIfNull(divergences);
        int diverged = divergences.Select(d => d.Ticker).Distinct(StringComparer.Ordinal).Count();
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"The model diverged for {diverged} of {tickerCount} tickers, so no model was published:");
        foreach (Divergence divergence in divergences)
        {
            message.Append("\n  ").Append(divergence);
        }

        message.Append("\nCheck these tickers' prices; if the change is genuine, raise Model:DivergenceMargin or Model:MaxCoefficientJump, or fix the order with Model:Order.");
        return message.ToString();
    }
}
