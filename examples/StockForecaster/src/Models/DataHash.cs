using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using StockForecaster.Data;

namespace StockForecaster.Models;

/// <summary>The SHA-256 of exactly the prices the models were fitted and backtested on.</summary>
/// <remarks>
/// Hashed bytes, per ticker in order: the UTF-8 ticker's byte length (int32) and bytes, the number of prices (int32),
/// then for each of the last <c>used</c> days its <see cref="DateOnly.DayNumber"/> (int32) and target price (IEEE-754 double), all little-endian.
/// Prices older than the first window do not affect the models, so they do not affect the hash either.
/// </remarks>
internal static class DataHash
{
    /// <summary>Returns the lower-case hex SHA-256 of the last <paramref name="used"/> dates and target prices of every series.</summary>
    internal static string Compute(IReadOnlyList<PriceSeries> series, Func<PriceSeries, double[]> target, int used)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[4];
        foreach (PriceSeries one in series)
        {
            byte[] ticker = Encoding.UTF8.GetBytes(one.Ticker);
            BinaryPrimitives.WriteInt32LittleEndian(header, ticker.Length);
            hash.AppendData(header);
            hash.AppendData(ticker);
            BinaryPrimitives.WriteInt32LittleEndian(header, used);
            hash.AppendData(header);

            double[] prices = target(one);
            int start = prices.Length - used;
            var body = new byte[used * 12];
            for (int i = 0; i < used; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(i * 12, 4), one.Dates[start + i].DayNumber);
                BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan((i * 12) + 4, 8), prices[start + i]);
            }

            hash.AppendData(body);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
