using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sluice.Telemetry;

namespace Sluice.Cli.Telemetry;

/// <summary>Exports Sluice's meter and activity source with OpenTelemetry while a command runs: a Prometheus scrape endpoint, OTLP, or both.</summary>
/// <remarks>
/// Nothing is created unless <c>Sluice:Telemetry</c> configures an exporter. Disposing flushes: the OTLP exporters push
/// what is left (the last metrics, the run's spans) before the process exits. An exporter that cannot start is reported
/// and left out; the command goes on, because a failing metrics sink never fails a run.
/// </remarks>
internal sealed class TelemetryExport : IDisposable
{
    private readonly List<IDisposable> _providers;

    private TelemetryExport(List<IDisposable> providers) => _providers = providers;

    /// <summary>Starts the configured exporters; returns null when none is configured.</summary>
    /// <param name="settings">The bound <c>Sluice:Telemetry</c> section.</param>
    /// <param name="service">The service name exported with every metric and span: the pipeline's name.</param>
    /// <param name="logger">Where to say what was started, or why not.</param>
    /// <param name="error">Where to print a note when an exporter cannot start.</param>
    public static TelemetryExport? Start(TelemetrySettings settings, string service, ILogger logger, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Uri? prometheus = settings.Prometheus.Url;
        Uri? otlp = settings.Otlp.Endpoint;
        if (prometheus is null && otlp is null)
        {
            return null;
        }

        var providers = new List<IDisposable>();
        if (prometheus is not null)
        {
            TryStart(providers, "the Prometheus endpoint " + prometheus, logger, error, () =>
            {
                MeterProvider meters = Sdk.CreateMeterProviderBuilder()
                    .ConfigureResource(r => r.AddService(service))
                    .AddMeter(SluiceTelemetry.Name)
                    .AddPrometheusHttpListener(o =>
                    {
                        o.Host = prometheus.Host;
                        o.Port = prometheus.Port;
                        o.ScrapeEndpointPath = prometheus.AbsolutePath + "metrics";
                    })
                    .Build();
                Log.PrometheusListening(logger, new Uri(prometheus, "metrics").ToString());
                return meters;
            });
        }

        if (otlp is not null)
        {
            OtlpSettings o = settings.Otlp;
            OtlpExportProtocol protocol = o.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;

            // Set in code, an HTTP endpoint is used as it is: the signal's path is ours to append.
            Uri Signal(string path) => protocol == OtlpExportProtocol.Grpc ? otlp : new Uri(otlp, path);
            TryStart(providers, "OTLP metrics to " + otlp, logger, error, () => Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(r => r.AddService(service))
                .AddMeter(SluiceTelemetry.Name)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = Signal("v1/metrics");
                    exporter.Protocol = protocol;
                    exporter.TimeoutMilliseconds = 5000;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)o.ExportInterval.TotalMilliseconds;
                })
                .Build());
            TryStart(providers, "OTLP traces to " + otlp, logger, error, () => Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(r => r.AddService(service))
                .AddSource(SluiceTelemetry.Name)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = Signal("v1/traces");
                    exporter.Protocol = protocol;
                    exporter.TimeoutMilliseconds = 5000;
                })
                .Build());
            Log.OtlpExporting(logger, protocol == OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf", otlp.ToString());
        }

        return new TelemetryExport(providers);
    }

    /// <summary>Flushes and stops every exporter; OTLP pushes what is left.</summary>
    public void Dispose()
    {
        foreach (IDisposable provider in _providers)
        {
            try
            {
                provider.Dispose();
            }
            catch (Exception)
            {
                // The run is over and recorded; an exporter that fails to flush loses only its own data.
            }
        }

        _providers.Clear();
    }

    private static void TryStart(List<IDisposable> providers, string what, ILogger logger, TextWriter error, Func<IDisposable> start)
    {
        try
        {
            providers.Add(start());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string reason = $"{what} could not start ({e.GetType().Name}: {e.Message}); check Sluice:Telemetry in config/";
            Log.ExportFailed(logger, reason);
            error.Write($"warning: {reason}. The run goes on without it.\n");
        }
    }
}
