using System.ComponentModel.DataAnnotations;

namespace Sluice.Telemetry;

/// <summary>The OTLP exporter of metrics and traces, configuration section <c>Sluice:Telemetry:Otlp</c>.</summary>
public sealed class OtlpSettings : IValidatableObject
{
    /// <summary>Gets or sets the collector's base URL, such as <c>http://127.0.0.1:4318/</c>; with HTTP, <c>v1/metrics</c> and <c>v1/traces</c> are appended.</summary>
    /// <value>The default value is <see langword="null"/>: no OTLP export.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the transport.</summary>
    /// <value>The default value is <see cref="OtlpProtocol.HttpProtobuf"/>.</value>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>Gets or sets how often metrics are pushed while a command runs; they are always pushed once more at exit.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is not null && !(Endpoint.IsAbsoluteUri && (Endpoint.Scheme == Uri.UriSchemeHttp || Endpoint.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult(
                $"'{Endpoint}' is not an OTLP endpoint: give an absolute http or https URL, for example 'http://127.0.0.1:4318/'.",
                [nameof(Endpoint)]);
        }

        if (ExportInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"The export interval {ExportInterval} is too short: give 00:00:01 or more.", [nameof(ExportInterval)]);
        }
    }
}
