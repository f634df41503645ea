using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>A real HTTP endpoint on 127.0.0.1 that answers each request with the next scripted status (then 200), or never answers at all.</summary>
/// <remarks>A minimal HTTP/1.1 server on a socket: one request per connection, answered with <c>Connection: close</c>.</remarks>
internal sealed class HttpReceiver : IAsyncDisposable
{
    /// <summary>A scripted answer that reads the request and then holds the connection open without a response.</summary>
    public const int NeverAnswer = 0;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Queue<int> _answers;
    private readonly int _otherwise;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Task _accepting;

    /// <summary>Starts a receiver answering with <paramref name="answers"/> in order, then 200.</summary>
    public HttpReceiver(params int[] answers)
        : this(200, answers)
    {
    }

    /// <summary>Starts a receiver answering with <paramref name="answers"/> in order, then always <paramref name="otherwise"/>.</summary>
    public HttpReceiver(int otherwise, int[] answers)
    {
        _answers = new Queue<int>(answers);
        _otherwise = otherwise;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks/alerts");

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                ReceivedRequest request = await ReadAsync(stream, _stop.Token);
                int status;
                lock (_gate)
                {
                    _requests.Add(request);
                    status = _answers.Count > 0 ? _answers.Dequeue() : _otherwise;
                }

                if (status == NeverAnswer)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, _stop.Token);
                    return;
                }

                string body = status == 200 ? "ok" : $"receiver says {status}";
                string reason = status switch { 200 => "OK", 404 => "Not Found", 500 => "Internal Server Error", 503 => "Service Unavailable", _ => "Status" };
                byte[] response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
                await stream.WriteAsync(response, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client gave up (its timeout) or the receiver is stopping.
            }
        }
    }

    private static async Task<ReceivedRequest> ReadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("connection closed before the request's head ended");
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body = new byte[headers.TryGetValue("Content-Length", out string? length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return new ReceivedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body));
    }
}

/// <summary>One request the receiver read.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
