using System.Globalization;
using System.Text;
using Sluice.Definitions;
using StockForecaster.Calendar;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>The clean/validate step's work: raw records in, validated column-wise prices and findings out.</summary>
/// <remarks>
/// Per series, in order, with the finding code of each check:
/// <list type="number">
/// <item><c>schema-drift</c>: the header against the contract (added, removed, renamed, retyped); an error under policy fail, a warning under warn,
/// always an error when a required column is absent or unreadable; an absent optional column alone is an info.</item>
/// <item>Parsing (errors): every cell, naming <c>file:line:column (name)</c>, what was expected and what was found.</item>
/// <item>Row checks (errors): prices positive, volume not negative, low ≤ open ≤ high and low ≤ close ≤ high.</item>
/// <item><c>unsorted</c> (warning): rows are sorted by date. <c>duplicate-date</c>: an exact repeat is dropped with a warning; a date with two different rows is an error.</item>
/// <item><c>stale</c> (warning): the close unchanged on the contract's number of consecutive rows or more.
/// <c>outlier</c> (warning): a log return of the adjusted close beyond k standard deviations; flagged, kept.</item>
/// <item><c>missing-days</c>: trading days without a row, per policy (error, warning, or filled forward with a warning).
/// <c>non-trading-day</c> (warning): a row on a day the exchange was closed, which is kept and never counted missing.</item>
/// </list>
/// A series with errors after step 4 skips steps 5 and 6: measuring gaps and returns around rejected rows would only mislead.
/// </remarks>
public static class Validator
{
    /// <summary>Validates every series against the contract and the exchange calendar and returns the clean prices with every warning and info finding.</summary>
    /// <remarks>
    /// Any error fails the whole step with one <see cref="DataValidationException"/> listing every error of every series
    /// (at most 20 described per series, the rest counted). Tickers are validated in parallel, so <paramref name="calendar"/>
    /// is called from several threads at once.
    /// </remarks>
    public static CleanPrices Run(RawPrices raw, DataContract contract, ITradingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(calendar);

        RawSeries[] all = raw.Series;
        var outcomes = new SeriesOutcome[all.Length];
        Parallel.For(0, all.Length, i => outcomes[i] = SeriesValidator.Validate(all[i], contract, calendar));

        var repeated = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (RawSeries series in all)
        {
            if (!seen.Add(series.Ticker) && !repeated.Contains(series.Ticker))
            {
                repeated.Add(series.Ticker);
            }
        }

        int total = repeated.Count;
        int failing = repeated.Count;
        var findings = new List<Finding>();
        foreach (SeriesOutcome outcome in outcomes)
        {
            total += outcome.Problems.Count;
            failing += outcome.Problems.Count > 0 ? 1 : 0;
            findings.AddRange(outcome.Findings);
        }

        if (total > 0)
        {
            throw new DataValidationException(Describe(all, outcomes, repeated, total, failing));
        }

        var clean = new PriceSeries[all.Length];
        for (int i = 0; i < all.Length; i++)
        {
            clean[i] = outcomes[i].Series!;
        }

        return new CleanPrices(clean, [.. findings], PolicyName(contract.MissingDays));
    }

    private static string PolicyName(MissingDayPolicy policy) => policy switch
    {
        MissingDayPolicy.Fail => "fail",
        MissingDayPolicy.Warn => "warn",
        _ => "fill-forward",
    };

    private static string Describe(RawSeries[] all, SeriesOutcome[] outcomes, List<string> repeated, int total, int failing)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Validation failed: {Listing.Count(total, "problem", "problems")} in {failing} of {all.Length} series:");
        foreach (string ticker in repeated)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {ticker}: the ticker appears more than once in the raw prices: configure each ticker once");
        }

        for (int i = 0; i < all.Length; i++)
        {
            ProblemList problems = outcomes[i].Problems;
            foreach (string problem in problems.Shown)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {all[i].Ticker}: {problem}");
            }

            if (problems.Count > problems.Shown.Count)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {all[i].Ticker}: and {problems.Count - problems.Shown.Count} more");
            }
        }

        return text.ToString();
    }
}
