using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Sources;

/// <summary>How Alpha Vantage is called and how hard to try: the "Ingest:AlphaVantage" section. The key comes from a secret source, never from a committed file.</summary>
public sealed class AlphaVantageSettings
{
    /// <summary>Gets or sets the query endpoint.</summary>
    /// <value>The default value is <c>https://www.alphavantage.co/query</c>.</value>
    [Required]
    [Url]
    public string BaseUrl { get; set; } = "https://www.alphavantage.co/query";

    /// <summary>Gets or sets the API key as a Sluice secret: <c>Ingest:AlphaVantage:ApiKey</c> in <c>config/secrets.json</c>, user-secrets, or <c>SLUICE_Ingest__AlphaVantage__ApiKey</c>.</summary>
    /// <remarks>Sluice refuses it in a committed <c>appsettings*.json</c> and masks it in everything it writes. When unset, the key is looked up by <see cref="ApiKeySecret"/>.</remarks>
    /// <value>The default value is <see langword="null"/>.</value>
    public Sluice.Secrets.Secret? ApiKey { get; set; }

    /// <summary>Gets or sets the NAME of the secret holding the API key when <see cref="ApiKey"/> is not set (an environment variable or an entry of <c>config/secrets.json</c>); never the key itself.</summary>
    /// <value>The default value is <c>ALPHAVANTAGE_API_KEY</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "Name the secret (letters, digits and _), for example ALPHAVANTAGE_API_KEY; the key itself belongs in the environment or config/secrets.json.")]
    public string ApiKeySecret { get; set; } = "ALPHAVANTAGE_API_KEY";

    /// <summary>Gets or sets how long one attempt (request and body) may take before it counts as a transient failure.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the total number of attempts per request, the first included.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Gets or sets the median wait before the first retry; later waits double, with jitter.</summary>
    /// <value>The default value is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest single wait between attempts, whether the server asked for it with <c>Retry-After</c> or backoff computed it.</summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);
}
