using System.Net;
using System.Net.Http.Headers;

namespace Sluice.Alerts.Sinks;

/// <summary>Posts each alert to an HTTP endpoint, as Sluice's alert JSON or as a Slack-compatible message.</summary>
/// <remarks>
/// A 2xx answer delivers. 5xx, 408 and 429 answers and network errors are transient and retried by the dispatcher;
/// any other answer (a wrong URL, a revoked token) is permanent. The per-attempt timeout comes from the dispatcher's
/// cancellation, so the client itself never times out.
/// </remarks>
public sealed class WebhookSink : IAlertSink, IDisposable
{
    private const int ShownBodyChars = 200;

    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly WebhookFormat _format;
    private readonly bool _blocks;
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates a webhook sink from its validated settings.</summary>
    public WebhookSink(string name, AlertSinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        _url = new Uri(settings.Url ?? throw new ArgumentException($"Webhook sink '{name}' has no Url.", nameof(settings)));
        _format = settings.Format ?? WebhookFormat.Json;
        _blocks = settings.SlackBlocks ?? false;
        _headers = [.. settings.Headers, .. settings.SecretHeaders.Select(h => KeyValuePair.Create(h.Key, h.Value.Reveal()))];
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <remarks>Only the scheme and host: a webhook's path often is its secret (Slack's are).</remarks>
    public string Description => $"webhook ({_format.ToString().ToLowerInvariant()}) to {_url.Scheme}://{_url.Authority}";

    /// <inheritdoc/>
    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        byte[] body = _format == WebhookFormat.Slack ? SlackMessage.ToUtf8(alert, _blocks) : AlertJson.ToUtf8(alert);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Sluice", "1"));
        foreach ((string header, string value) in _headers)
        {
            request.Headers.Remove(header);
            if (!request.Headers.TryAddWithoutValidation(header, value))
            {
                request.Content.Headers.Remove(header);
                request.Content.Headers.TryAddWithoutValidation(header, value);
            }
        }

        using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string text = await ReadStartAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        bool transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        throw new AlertDeliveryException(
            $"HTTP {status} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}{(transient ? "" : " (not retried: the answer will not change)")}",
            transient);
    }

    /// <summary>Closes the client's connections.</summary>
    public void Dispose() => _client.Dispose();

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            char[] buffer = new char[ShownBodyChars];
            int read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            string start = new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return read == ShownBodyChars ? start + "..." : start;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }
}
