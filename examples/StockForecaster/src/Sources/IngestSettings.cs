using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Sources;

/// <summary>What the ingest step reads and how; bound from the "Ingest" section of config/appsettings.json.</summary>
public sealed class IngestSettings : IValidatableObject
{
    /// <summary>Gets or sets the series to ingest, in the order they are published.</summary>
    /// <value>The default value is an empty list, which reads the bundled S&amp;P 500 file (see <see cref="EffectiveSources"/>).</value>
    /// <remarks>
    /// The default cannot live in the list itself: the configuration binder appends configured entries to
    /// whatever the list already holds, so a built-in entry would be read on top of the configured ones.
    /// </remarks>
    public List<SourceSettings> Sources { get; set; } = [];

    /// <summary>Gets or sets how Alpha Vantage is called.</summary>
    /// <value>The default value is <see cref="AlphaVantageSettings"/> with its documented defaults.</value>
    [Required]
    public AlphaVantageSettings AlphaVantage { get; set; } = new();

    /// <summary>Gets or sets the trading day the run is for (the logical date), set by the scheduler's script.</summary>
    /// <value>The default value is null: no date, so a re-run reuses the ingest step until a declared file changes.</value>
    /// <remarks>Part of the ingest step's fingerprint: live sources (an HTTP API) are fetched again for each new date and reused within one.</remarks>
    public DateOnly? AsOf { get; set; }

    /// <summary>Returns the configured sources, or when none is configured the one bundled csv source: ticker SPX from <c>data/sp500-2000.csv</c>.</summary>
    public IReadOnlyList<SourceSettings> EffectiveSources() =>
        Sources.Count > 0 ? Sources : [new SourceSettings { Ticker = "SPX", Kind = SourceSettings.CsvKind, Path = "data/sp500-2000.csv" }];

    /// <summary>Returns the project-relative paths of the CSV sources, the files whose bytes decide whether ingest re-runs.</summary>
    public IEnumerable<string> CsvPaths() =>
        EffectiveSources().Where(s => s.Kind == SourceSettings.CsvKind && s.Path is not null).Select(s => s.Path!);

    /// <summary>Checks every source (the binder's validation does not descend into lists) and that no ticker appears twice.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Sources.Count; i++)
        {
            SourceSettings source = Sources[i];
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(source, new ValidationContext(source), results, validateAllProperties: true);
            foreach (ValidationResult result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(m => $"{nameof(Sources)}:{i}:{m}")]);
            }

            if (!string.IsNullOrEmpty(source.Ticker))
            {
                if (seen.TryGetValue(source.Ticker, out int first))
                {
                    yield return new ValidationResult(
                        $"Ticker '{source.Ticker}' is already used by {nameof(Sources)}:{first}: each ticker is published once.",
                        [$"{nameof(Sources)}:{i}:{nameof(SourceSettings.Ticker)}"]);
                }
                else
                {
                    seen[source.Ticker] = i;
                }
            }
        }
    }
}
