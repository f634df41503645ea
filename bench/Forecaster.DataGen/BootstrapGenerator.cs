namespace Sluice.Benchmarks.ForecasterData;

/// <summary>Generates synthetic tickers by stationary block bootstrap of a real series' days, deterministically from a seed.</summary>
/// <remarks>
/// Politis and Romano's stationary bootstrap: each day continues the current block with the next real
/// day (wrapping around at the end) or, with probability 1 / mean block length, starts a new block at a
/// uniformly drawn day. Blocks keep the real series' volatility clustering and short-range dependence,
/// and the random block lengths keep the resampled series stationary.
/// Each ticker has its own <see cref="Random"/> seeded from (seed, ticker number), so a ticker's bars do
/// not depend on how many tickers are generated, in what order, or on how many threads.
/// </remarks>
public sealed class BootstrapGenerator
{
    private readonly HistoricalDays _history;
    private readonly int _days;
    private readonly int _seed;
    private readonly double _newBlockProbability;

    /// <summary>Initializes a generator of <paramref name="days"/> bars per ticker resampled from <paramref name="history"/>.</summary>
    public BootstrapGenerator(HistoricalDays history, int days, int seed, double meanBlockLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentOutOfRangeException.ThrowIfLessThan(meanBlockLength, 1);
        _history = history;
        _days = days;
        _seed = seed;
        _newBlockProbability = 1 / meanBlockLength;
    }

    /// <summary>Returns the ticker symbol of the 1-based <paramref name="number"/>, zero-padded to at least four digits (T0001).</summary>
    public static string TickerName(int number) => "T" + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Generates the bars of the ticker with the 1-based <paramref name="number"/>.</summary>
    public SyntheticSeries Generate(int number)
    {
        var random = new Random(TickerSeed(_seed, number));

        // Per-ticker character: volatility 0.7x..2.5x the index's (single stocks swing more than the
        // index), a start price of 5..500 and a share volume 1/10,000..1/100 of the index's.
        double scale = LogUniform(random, 0.7, 2.5);
        double price = LogUniform(random, 5, 500);
        double volumeScale = LogUniform(random, 1e-4, 1e-2);

        var open = new double[_days];
        var high = new double[_days];
        var low = new double[_days];
        var close = new double[_days];
        var volume = new long[_days];
        int n = _history.Count;
        int day = random.Next(n);
        for (int t = 0; t < _days; t++)
        {
            if (t > 0)
            {
                day = random.NextDouble() < _newBlockProbability ? random.Next(n) : (day + 1) % n;
            }

            double o = price * Math.Exp(scale * _history.OpenGap[day]);
            double c = price * Math.Exp(scale * _history.CloseReturn[day]);

            // The wicks are non-negative, so low <= min(open, close) <= max(open, close) <= high, and
            // rounding to the CSV's six decimals is monotone, so the written bars keep that order.
            open[t] = o;
            close[t] = c;
            high[t] = Math.Max(o, c) * Math.Exp(scale * _history.UpperWick[day]);
            low[t] = Math.Min(o, c) * Math.Exp(-scale * _history.LowerWick[day]);
            volume[t] = Math.Max(1, (long)Math.Round(_history.Volume[day] * volumeScale));
            price = c;
        }

        return new SyntheticSeries(TickerName(number), open, high, low, close, volume);
    }

    private static double LogUniform(Random random, double min, double max) =>
        Math.Exp(Math.Log(min) + (random.NextDouble() * (Math.Log(max) - Math.Log(min))));

    // SplitMix64's finaliser spreads (seed, number) over the seed space, so neighbouring seeds and
    // tickers get unrelated streams (System.Random's seeded generator is stable across runs).
    private static int TickerSeed(int seed, int number)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)number;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
