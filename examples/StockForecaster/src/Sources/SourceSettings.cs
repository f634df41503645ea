using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Sources;

/// <summary>One series to ingest: a CSV file in the project or an Alpha Vantage daily series; an entry of <see cref="IngestSettings.Sources"/>.</summary>
public sealed class SourceSettings : IValidatableObject
{
    /// <summary>Names the kind that reads a CSV file from the project.</summary>
    public const string CsvKind = "csv";

    /// <summary>Names the kind that fetches Alpha Vantage's <c>TIME_SERIES_DAILY</c> JSON.</summary>
    public const string AlphaVantageKind = "alphavantage";

    /// <summary>Gets or sets the ticker the series is published under (upper-cased in the output).</summary>
    /// <value>There is no default: every source names its ticker.</value>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9.^=_\-]{1,20}$", ErrorMessage = "Use 1 to 20 letters, digits or . ^ = _ - (for example SPX or BRK.B).")]
    public string Ticker { get; set; } = "";

    /// <summary>Gets or sets where the series comes from: <c>csv</c> or <c>alphavantage</c>.</summary>
    /// <value>The default value is <c>csv</c>.</value>
    [Required]
    [RegularExpression("^(csv|alphavantage)$", ErrorMessage = "Use csv or alphavantage.")]
    public string Kind { get; set; } = CsvKind;

    /// <summary>Gets or sets the CSV file, relative to the project folder; required for <c>csv</c>, ignored otherwise.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets the symbol asked of the API when it differs from <see cref="Ticker"/> (for example <c>TSCO.LON</c>).</summary>
    /// <value>The default value is <see langword="null"/>, which asks for <see cref="Ticker"/>.</value>
    public string? Symbol { get; set; }

    /// <summary>Gets or sets how much history the API returns: <c>compact</c> (the latest 100 days) or <c>full</c>.</summary>
    /// <value>The default value is <c>compact</c>.</value>
    [RegularExpression("^(compact|full)$", ErrorMessage = "Use compact or full.")]
    public string OutputSize { get; set; } = "compact";

    /// <summary>Returns the symbol sent to the API: <see cref="Symbol"/> when set, else <see cref="Ticker"/>.</summary>
    public string ApiSymbol() => string.IsNullOrWhiteSpace(Symbol) ? Ticker : Symbol;

    /// <summary>Checks the rules that involve more than one property.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == CsvKind)
        {
            if (string.IsNullOrWhiteSpace(Path))
            {
                yield return new ValidationResult("A csv source needs a Path relative to the project, for example data/sp500-2000.csv.", [nameof(Path)]);
            }
            else if (System.IO.Path.IsPathRooted(Path))
            {
                yield return new ValidationResult($"Path '{Path}' is absolute: use a path relative to the project folder.", [nameof(Path)]);
            }
        }
    }
}
