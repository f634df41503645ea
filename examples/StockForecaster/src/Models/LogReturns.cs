namespace StockForecaster.Models;

/// <summary>Daily log returns of a price column.</summary>
internal static class LogReturns
{
    /// <summary>Returns r_i = ln(p_{i+1} / p_i) for each consecutive pair; a non-positive or non-finite price yields a non-finite return, which the caller reports.</summary>
    internal static double[] Compute(ReadOnlySpan<double> prices)
    {
        if (prices.Length < 2)
        {
            return [];
        }

        var returns = new double[prices.Length - 1];
        for (int i = 0; i < returns.Length; i++)
        {
            // The log of the ratio keeps the precision of small returns that ln(a) − ln(b) would cancel away.
            returns[i] = Math.Log(prices[i + 1] / prices[i]);
        }

        return returns;
    }
}
