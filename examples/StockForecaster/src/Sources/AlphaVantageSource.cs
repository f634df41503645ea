using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sluice.Definitions;
using StockForecaster.Data;

namespace StockForecaster.Sources;

/// <summary>Fetches one <c>TIME_SERIES_DAILY</c> series, retrying transient failures with backoff and failing fast on the rest.</summary>
/// <remarks>
/// Transient (retried): timeouts, connection failures, HTTP 408, 429 and 5xx (waiting as long as <c>Retry-After</c> asks,
/// up to <see cref="AlphaVantageSettings.MaxRetryAfter"/>), and the rate-limit note Alpha Vantage sends with HTTP 200.
/// Permanent (<see cref="DataValidationException"/>, one request): 401/403, 404, other 4xx, and bodies that are not the
/// expected JSON. The API key is sent in the query, as the API requires, and appears nowhere else.
/// </remarks>
internal sealed class AlphaVantageSource(HttpClient http, AlphaVantageSettings settings, string apiKey, TimeProvider time, ILogger logger)
{
    /// <summary>Returns the URL asked for <paramref name="source"/>, without the key: the series' published location.</summary>
    public string LocationOf(SourceSettings source) => ApiKeyRedaction.WithoutApiKey(WithQuery(settings.BaseUrl, Query(source)));

    public async Task<RawSeries> FetchAsync(SourceSettings source, CancellationToken cancellationToken)
    {
        string ticker = source.Ticker.ToUpperInvariant();
        string location = LocationOf(source);
        var requestUri = new Uri(WithQuery(settings.BaseUrl, $"{Query(source)}&apikey={Uri.EscapeDataString(apiKey)}"));
        int attempts = 0;

        async ValueTask<RawSeries> AttemptAsync(CancellationToken token)
        {
            attempts++;
            using var request = new HttpRequestMessage(HttpMethod.Get, requestUri);
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            ThrowIfFailed(response, location);
            byte[] body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DataValidationException(
                    $"Alpha Vantage answered {location} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}: asking again will not help. It said: '{Excerpt(body)}'");
            }

            return AlphaVantageResponse.Parse(ticker, body, location, apiKey, settings.ApiKeySecret);
        }

        ResiliencePipeline pipeline = BuildPipeline(ticker, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(AttemptAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new TimeoutException($"Gave up on {location} after {Attempts(attempts)}: the last got no answer within {settings.Timeout}.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Gave up on {location} after {Attempts(attempts)}: the last was cancelled by the HttpClient's own timeout ({http.Timeout}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"Gave up on {location} after {Attempts(attempts)}: {ApiKeyRedaction.Scrub(e.Message, apiKey)}", e, e.StatusCode);
        }
        catch (IOException e)
        {
            throw new HttpRequestException($"Gave up on {location} after {Attempts(attempts)}: the connection failed ({ApiKeyRedaction.Scrub(e.Message, apiKey)}).", e);
        }
    }

    private ResiliencePipeline BuildPipeline(string ticker, CancellationToken cancellationToken)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception, cancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is TransientResponseException { RetryAfter: { } asked }
                        ? (TimeSpan?)(asked < settings.MaxRetryAfter ? asked : settings.MaxRetryAfter)
                        : null),
                OnRetry = args =>
                {
                    string reason = args.Outcome.Exception is { } e ? ApiKeyRedaction.Scrub(Describe(e), apiKey) : "no result";
                    SourcesLog.Retrying(logger, ticker, args.AttemptNumber + 1, settings.MaxAttempts, reason, args.RetryDelay, null);
                    return default;
                },
            });
        }

        // Inside the retry, so each attempt gets the whole timeout.
        builder.AddTimeout(settings.Timeout);
        return builder.Build();
    }

    private static bool IsTransient(Exception? e, CancellationToken cancellationToken) => e switch
    {
        null or DataValidationException => false,
        HttpRequestException or TimeoutRejectedException or IOException => true,

        // HttpClient's own Timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private void ThrowIfFailed(HttpResponseMessage response, string location)
    {
        HttpStatusCode status = response.StatusCode;
        int code = (int)status;
        if (code is 408 or 429 or >= 500)
        {
            throw new TransientResponseException($"{location} answered HTTP {code} {response.ReasonPhrase}", status, RetryAfter(response));
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new DataValidationException(
                $"Alpha Vantage rejected the API key named by secret {settings.ApiKeySecret} (HTTP {code} {response.ReasonPhrase} from {location}): check the key.");
        }

        if (status == HttpStatusCode.NotFound)
        {
            throw new DataValidationException($"{location} answered HTTP 404 Not Found: check Ingest:AlphaVantage:BaseUrl.");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        TimeSpan? wait = header.Delta ?? (header.Date - time.GetUtcNow());
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private string Excerpt(byte[] body)
    {
        const int Shown = 200;
        string text = ApiKeyRedaction.Scrub(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, Shown + (3 * apiKey.Length) + 16)), apiKey)
            .ReplaceLineEndings(" ");
        return text.Length > Shown ? string.Concat(text.AsSpan(0, Shown), "...") : text;
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "timed out",
        HttpRequestException { InnerException: { } inner } h when h is not TransientResponseException => $"{h.Message} ({inner.Message})",
        _ => e.Message,
    };

    private static string Query(SourceSettings source) =>
        $"function=TIME_SERIES_DAILY&symbol={Uri.EscapeDataString(source.ApiSymbol())}&outputsize={source.OutputSize}&datatype=json";

    private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

    private static string WithQuery(string baseUrl, string query) =>
        baseUrl + (baseUrl.Contains('?', StringComparison.Ordinal) ? (baseUrl.EndsWith('?') || baseUrl.EndsWith('&') ? "" : "&") : "?") + query;
}
