using System.Globalization;
using StockForecaster.Data;
using StockForecaster.Validation;

namespace StockForecaster.Tests.Validation;

/// <summary>Builds raw series and contracts inline, so each test shows the few lines that matter.</summary>
internal static class Sources
{
    public const string Header = "date,open,high,low,close,adjclose,volume";

    /// <summary>The first day of generated series: a Monday.</summary>
    public static readonly DateOnly Start = new(2015, 3, 2);

    /// <summary>Returns CSV data lines for <paramref name="days"/> weekdays from <see cref="Start"/>: prices that wander gently, never stale, never outlying.</summary>
    public static List<string> Lines(int days)
    {
        var lines = new List<string>();
        double close = 100;
        DateOnly date = Start;
        for (int i = 0; i < days; i++)
        {
            double open = close;
            close = Math.Round(open * Math.Exp(0.01 * Math.Sin(i * 0.9)), 4);
            double high = Math.Round(Math.Max(open, close) * 1.004, 4);
            double low = Math.Round(Math.Min(open, close) * 0.996, 4);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{open},{high},{low},{close},{close},{1_000_000 + i}"));
            date = date.AddDays(date.DayOfWeek == DayOfWeek.Friday ? 3 : 1);
        }

        return lines;
    }

    /// <summary>Returns a series read from <c>data/spx.csv</c> whose header is line 1 and whose data start on line 2.</summary>
    public static RawSeries Series(IEnumerable<string> lines, string header = Header, string ticker = "SPX")
    {
        string[] data = [.. lines];
        return new RawSeries(
            ticker,
            new SourceInfo("csv", $"data/{ticker.ToLowerInvariant()}.csv", "0000", 0),
            header.Split(','),
            data,
            [.. Enumerable.Range(2, data.Length)]);
    }

    /// <summary>Returns the text of a valid contract with the given policies.</summary>
    public static string ContractJson(string schemaDrift = "fail", string missingDays = "fail", int staleDays = 5, double outlierK = 8, string adjCloseRequired = "false") =>
        $$"""
        {
          "version": 1,
          "dateFormat": "yyyy-MM-dd",
          "columns": [
            { "name": "date", "type": "date", "required": true },
            { "name": "open", "type": "decimal", "required": true },
            { "name": "high", "type": "decimal", "required": true },
            { "name": "low", "type": "decimal", "required": true },
            { "name": "close", "type": "decimal", "required": true },
            { "name": "adjclose", "type": "decimal", "required": {{adjCloseRequired}}, "aliases": ["Adj Close", "adj_close"] },
            { "name": "volume", "type": "integer", "required": true }
          ],
          "policies": { "schemaDrift": "{{schemaDrift}}", "missingDays": "{{missingDays}}", "staleDays": {{staleDays}}, "outlierK": {{outlierK.ToString(CultureInfo.InvariantCulture)}} }
        }
        """;

    /// <summary>Returns a valid contract with the given policies.</summary>
    public static DataContract Contract(string schemaDrift = "fail", string missingDays = "fail", int staleDays = 5, double outlierK = 8) =>
        DataContract.Parse(ContractJson(schemaDrift, missingDays, staleDays, outlierK), "config/contract.json");

    /// <summary>Validates one series with a weekends-only calendar unless another is given.</summary>
    public static CleanPrices Validate(RawSeries series, DataContract? contract = null, TestCalendar? calendar = null) =>
        Validator.Run(new RawPrices([series]), contract ?? Contract(), calendar ?? new TestCalendar());

    /// <summary>Returns the problem lines of a failure message, without the summary line.</summary>
    public static string[] Problems(Exception e) => [.. e.Message.Split('\n').Skip(1).Select(line => line.Trim())];
}
