using System.Buffers;
using System.Globalization;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Checks across rows that only warn: stale prices and outlying returns are suspicious, not wrong, so they are flagged and kept.</summary>
internal static class PriceChecks
{
    // Fewer returns than this give no usable standard deviation.
    private const int MinimumReturns = 3;

    /// <summary>Warns once per run of at least <see cref="DataContract.StaleDays"/> consecutive rows with the same close.</summary>
    public static void Stale(PriceRows rows, DataContract contract, string ticker, string location, List<Finding> findings)
    {
        int start = 0;
        for (int i = 1; i <= rows.Count; i++)
        {
            if (i < rows.Count && rows.Close[i].Equals(rows.Close[start]))
            {
                continue;
            }

            int length = i - start;
            if (length >= contract.StaleDays)
            {
                findings.Add(new Finding(Severity.Warning, "stale", ticker, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{location}:{rows.Lines[start]}-{rows.Lines[i - 1]}: close unchanged at {rows.Close[start]} on {length} consecutive days, {Listing.Iso(rows.Dates[start])} to {Listing.Iso(rows.Dates[i - 1])}")));
            }

            start = i;
        }
    }

    /// <summary>Warns for each day whose log return of the adjusted close exceeds k standard deviations of the series' log returns.</summary>
    /// <remarks>The adjusted close is used so that splits and dividends, which it already accounts for, are not flagged.</remarks>
    public static void Outliers(PriceRows rows, DataContract contract, string ticker, string location, List<Finding> findings)
    {
        int returns = rows.Count - 1;
        if (returns < MinimumReturns)
        {
            return;
        }

        double[] adj = rows.AdjClose;
        double[] logReturns = ArrayPool<double>.Shared.Rent(returns);
        try
        {
            double sum = 0;
            for (int i = 0; i < returns; i++)
            {
                logReturns[i] = Math.Log(adj[i + 1] / adj[i]);
                sum += logReturns[i];
            }

            double mean = sum / returns;
            double squares = 0;
            for (int i = 0; i < returns; i++)
            {
                double deviation = logReturns[i] - mean;
                squares += deviation * deviation;
            }

            double sigma = Math.Sqrt(squares / (returns - 1));
            if (!(sigma > 0))
            {
                return;
            }

            double limit = contract.OutlierK * sigma;
            for (int i = 0; i < returns; i++)
            {
                double r = logReturns[i];
                if (Math.Abs(r) > limit)
                {
                    findings.Add(new Finding(Severity.Warning, "outlier", ticker, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{location}:{rows.Lines[i + 1]} ({Listing.Iso(rows.Dates[i + 1])}): log return {r:0.0000} is {Math.Abs(r) / sigma:0.0} standard deviations ({sigma:0.0000}) from zero, beyond k = {contract.OutlierK}: flagged, kept")));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(logReturns);
        }
    }
}
