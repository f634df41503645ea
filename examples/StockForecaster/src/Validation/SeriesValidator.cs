using System.Globalization;
using StockForecaster.Calendar;
using StockForecaster.Data;

namespace StockForecaster.Validation;

/// <summary>Validates one series end to end: schema, rows, order, warnings, trading days.</summary>
internal static class SeriesValidator
{
    /// <summary>Returns the clean series, or the errors that stop it, and every finding on the way.</summary>
    public static SeriesOutcome Validate(RawSeries raw, DataContract contract, ITradingCalendar calendar)
    {
        var problems = new ProblemList();
        var findings = new List<Finding>();
        string location = raw.Source.Location;
        if (raw.Lines.Length != raw.LineNumbers.Length)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{location}: the raw series has {raw.Lines.Length} lines but {raw.LineNumbers.Length} line numbers: the ingest step wrote an inconsistent record"));
            return new SeriesOutcome(null, problems, findings);
        }

        SchemaMatch schema = SchemaMatcher.Match(raw, contract);
        if (schema.Diff.Count > 0)
        {
            string message = $"{location}: schema drift from the contract: {string.Join("; ", schema.Diff)}";
            if (schema.Blocking)
            {
                problems.Add(message);
                return new SeriesOutcome(null, problems, findings);
            }

            if (schema.Drift && contract.SchemaDrift == SchemaDriftPolicy.Fail)
            {
                // Every required column was found, so the rows can still be read: their problems belong in the same failure.
                problems.Add(message);
            }
            else
            {
                findings.Add(new Finding(schema.Drift ? Severity.Warning : Severity.Info, "schema-drift", raw.Ticker, message));
            }
        }

        PriceRows rows = RowParser.Parse(raw, schema.Layout, contract, problems);
        if (rows.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{location}: no data rows: the series is empty");
        }

        rows = RowOrder.Normalize(rows, raw.Ticker, location, problems, findings);
        if (problems.Count > 0)
        {
            // Gaps, stale runs and returns measured around rejected rows would only mislead.
            return new SeriesOutcome(null, problems, findings);
        }

        PriceChecks.Stale(rows, contract, raw.Ticker, location, findings);
        PriceChecks.Outliers(rows, contract, raw.Ticker, location, findings);
        rows = MissingDays.Apply(rows, contract, calendar, raw.Ticker, location, problems, findings, out DateOnly[] filled);
        if (problems.Count > 0)
        {
            return new SeriesOutcome(null, problems, findings);
        }

        var series = new PriceSeries
        {
            Ticker = raw.Ticker,
            Source = raw.Source,
            Dates = rows.Filled(rows.Dates),
            Open = rows.Filled(rows.Open),
            High = rows.Filled(rows.High),
            Low = rows.Filled(rows.Low),
            Close = rows.Filled(rows.Close),
            AdjClose = rows.Filled(rows.AdjClose),
            Volume = rows.Filled(rows.Volume),
            FilledDates = filled,
        };
        return new SeriesOutcome(series, problems, findings);
    }
}
