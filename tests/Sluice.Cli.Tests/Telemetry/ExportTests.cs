using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Sluice.Cli.Tests.Telemetry;

/// <summary>OpenTelemetry export while a run goes on: a Prometheus endpoint scraped over loopback, and OTLP posted to a real receiver.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_PrometheusConfigured_EndpointServesStepMetricsWhileTheRunGoesOn_AndClosesAfter()
    {
        int port = TelemetryCli.FreePort();
        _project.Write("config/appsettings.json", $$"""{ "Sluice": { "Telemetry": { "Prometheus": { "Url": "http://127.0.0.1:{{port}}/" } } } }""");
        var scraped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cli = new TelemetryCli(_project.Root);
        Task<(int Exit, string Out, string Error)> run = cli.RunAsync(() => TelemetryCli.Measured("scraped", scraped.Task), "run", "-j", "1");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string body = "";
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        try
        {
            // The step 'measure' waits until we have seen its figures: 'load' has finished and 'measure' has recorded.
            // Other tests' runs in this process use the same meter: only this pipeline's lines count.
            while (!body.Split('\n').Any(l => l.StartsWith("sluice_step_duration", StringComparison.Ordinal) && l.Contains("pipeline=\"scraped\"", StringComparison.Ordinal))
                || !body.Split('\n').Any(l => l.Contains("measurement=\"rmse\"", StringComparison.Ordinal) && l.Contains("pipeline=\"scraped\"", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "no step metrics on the endpoint within 30 s; last body:\n" + body);
                if (run.IsCompleted)
                {
                    var (_, _, ended) = await run;
                    Assert.Fail("the run ended before it was scraped: " + ended);
                }

                try
                {
                    body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                }
                catch (HttpRequestException)
                {
                    // Not listening yet: the run starts the endpoint once it holds the project lock.
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            scraped.TrySetResult();
        }

        var (exit, output, error) = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("sluice_step_duration_seconds_bucket{", body, StringComparison.Ordinal);
        Assert.Contains("pipeline=\"scraped\"", body, StringComparison.Ordinal);
        Assert.Contains("outcome=\"succeeded\",pipeline=\"scraped\",step=\"load\"", body, StringComparison.Ordinal);
        Assert.Contains("sluice_step_retries_total", body, StringComparison.Ordinal);
        string measurement = body.Split('\n').Single(l => l.StartsWith("sluice_step_measurement{", StringComparison.Ordinal) && l.Contains("rmse", StringComparison.Ordinal) && l.Contains("pipeline=\"scraped\"", StringComparison.Ordinal));
        Assert.Equal("0.0123", measurement.Split(' ')[1]);

        // Nothing is left listening once the command is over.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")));
    }

    [Fact]
    public async Task Run_OtlpConfigured_MetricsAndTracesArePostedWhenTheRunEnds()
    {
        int port = TelemetryCli.FreePort();
        using var receiver = new OtlpReceiver(port);
        _project.Write("config/appsettings.json", $$"""{ "Sluice": { "Telemetry": { "Otlp": { "Endpoint": "http://127.0.0.1:{{port}}/", "Protocol": "HttpProtobuf" } } } }""");
        var cli = new TelemetryCli(_project.Root);

        var (exit, output, error) = await cli.RunAsync(() => TelemetryCli.Measured("pushed"), "run", "-j", "1");

        Assert.True(exit == ExitCodes.Success, output + error);
        OtlpReceiver.Request metrics = await receiver.WaitForAsync("/v1/metrics", "pushed");
        OtlpReceiver.Request traces = await receiver.WaitForAsync("/v1/traces", "pushed");
        Assert.Equal("application/x-protobuf", metrics.ContentType);
        foreach (string name in new[] { "sluice.step.duration", "sluice.step.attempts", "sluice.run.duration", "sluice.step.measurement", "rows_ingested", "rmse" })
        {
            Assert.Contains(name, metrics.Text, StringComparison.Ordinal);
        }

        foreach (string name in new[] { "run pushed", "step load", "step measure", "sluice.run_id", "source timed out" })
        {
            Assert.Contains(name, traces.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_PrometheusUrlNotAPrefix_RefusedAtStartNamingTheKey()
    {
        _project.Write("config/appsettings.json", """{ "Sluice": { "Telemetry": { "Prometheus": { "Url": "localhost:9464" } } } }""");
        var cli = new TelemetryCli(_project.Root);

        var (exit, _, error) = await cli.RunAsync(() => TelemetryCli.Measured("refused"), "run");

        Assert.Equal(ExitCodes.DefinitionError, exit);
        Assert.Contains("Sluice:Telemetry:Prometheus:Url", error, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9464/", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.PathTo(".sluice")));
    }

    /// <summary>An OTLP/HTTP receiver on loopback: keeps each request's path, content type and body, answers 200.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Request> _requests = new();
        private readonly Task _loop;

        public OtlpReceiver(int port)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public async Task<Request> WaitForAsync(string path, string mustMention)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                Request? found = _requests.FirstOrDefault(r => r.Path == path && r.Text.Contains(mustMention, StringComparison.Ordinal));
                if (found is not null)
                {
                    return found;
                }

                Assert.True(DateTime.UtcNow < deadline, $"nothing posted to {path} naming '{mustMention}'; got: {string.Join(", ", _requests.Select(r => r.Path))}");
                await Task.Delay(50);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _ = _loop.Exception;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _requests.Enqueue(new Request(context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        /// <summary>One request; protobuf keeps strings as UTF-8, so names can be looked for in the bytes.</summary>
        public sealed record Request(string Path, string? ContentType, byte[] Body)
        {
            public string Text => Encoding.UTF8.GetString(Body);
        }
    }
}
