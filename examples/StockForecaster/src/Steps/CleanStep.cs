using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;
using StockForecaster.Alerts;
using StockForecaster.Calendar;
using StockForecaster.Data;
using StockForecaster.Validation;

namespace StockForecaster.Steps;

/// <summary>The clean/validate step: raw records against the data contract and the NYSE calendar.</summary>
public static class CleanStep
{
    /// <summary>Validates and cleans the raw prices; a contract violation fails the step (never retried) and raises a data-quality alert, warnings are kept in the output (and alerted when the settings ask).</summary>
    public static CleanPrices Run(StepContext context, RawPrices raw, ProjectFile contractFile, AlertSettings alerts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(contractFile);
        DataContract contract = DataContract.Load(context.PathTo(contractFile.RelativePath), contractFile.RelativePath);
        CleanPrices clean;
        try
        {
            clean = Validator.Run(raw, contract, NyseCalendar.Shared);
        }
        catch (DataValidationException e)
        {
            context.Alerts.Raise(Sluice.Alerts.AlertKind.DataQuality, e.Message, "clean: the prices break the data contract");
            throw;
        }

        int warnings = clean.Findings.Count(f => f.Severity == Severity.Warning);
        context.Metrics.Record("tickers", clean.Series.Length);
        context.Metrics.Record("rows_clean", clean.Series.Sum(s => s.Dates.Length));
        context.Metrics.Record("warnings", warnings);
        context.Metrics.Record("tickers_with_missing_days", clean.Findings.Count(f => f.Code == "missing-days"));
        context.Logger.LogInformation(
            "Validated {Tickers} tickers, {Rows} rows: {Warnings} warnings, missing-day policy {Policy}",
            clean.Series.Length, clean.Series.Sum(s => s.Dates.Length), warnings, clean.MissingDayPolicy);
        foreach (Finding finding in clean.Findings.Where(f => f.Severity == Severity.Warning).Take(20))
        {
            context.Logger.LogWarning("{Ticker} {Code}: {Message}", finding.Ticker, finding.Code, finding.Message);
        }

        if (alerts.OnDataQualityWarnings && warnings > 0)
        {
            string codes = string.Join(", ", clean.Findings.Where(f => f.Severity == Severity.Warning).GroupBy(f => f.Code).Select(g => $"{g.Count()} {g.Key}"));
            context.Alerts.Raise(Sluice.Alerts.AlertKind.DataQuality, $"Validation passed with {warnings} warnings ({codes}); see {ForecasterPaths.CleanPrices} and the report.");
        }

        return clean;
    }
}
