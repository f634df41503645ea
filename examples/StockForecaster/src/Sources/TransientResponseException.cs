using System.Net;

namespace StockForecaster.Sources;

/// <summary>An answer worth asking again for: 408, 429, 5xx or Alpha Vantage's rate-limit note, with the wait the server asked for if any.</summary>
internal sealed class TransientResponseException(string message, HttpStatusCode? statusCode, TimeSpan? retryAfter)
    : HttpRequestException(message, null, statusCode)
{
    /// <summary>Gets the wait the server asked for with <c>Retry-After</c>, not yet capped.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
