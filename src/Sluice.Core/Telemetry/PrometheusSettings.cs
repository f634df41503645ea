using System.ComponentModel.DataAnnotations;

namespace Sluice.Telemetry;

/// <summary>The Prometheus scrape endpoint, configuration section <c>Sluice:Telemetry:Prometheus</c>.</summary>
public sealed class PrometheusSettings : IValidatableObject
{
    /// <summary>Gets or sets the URL prefix to serve <c>/metrics</c> under, such as <c>http://127.0.0.1:9464/</c>.</summary>
    /// <value>The default value is <see langword="null"/>: no endpoint.</value>
    public Uri? Url { get; set; }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is not null && !IsListenerPrefix(Url))
        {
            yield return new ValidationResult(
                $"'{Url}' is not a URL prefix to listen on: give an absolute http URL with a port, ending in '/', for example 'http://127.0.0.1:9464/'.",
                [nameof(Url)]);
        }
    }

    internal static bool IsListenerPrefix(Uri url) =>
        url.IsAbsoluteUri && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath.EndsWith('/') && string.IsNullOrEmpty(url.Query);
}
