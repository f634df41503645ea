using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StockForecaster.Tests.Reporting;

/// <summary>A proxy on a loopback port that forwards nothing: it records the first line of each request the browser sends it and hangs up.</summary>
/// <remarks>Given to Chromium as its proxy, it keeps every request on this machine and shows which hosts the browser tried to reach.</remarks>
internal sealed class LoopbackSink : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> requests = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public LoopbackSink()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>Gets the port the sink listens on.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Gets the request lines received so far, such as <c>GET http://host/path HTTP/1.1</c> or <c>CONNECT host:443 HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    /// <summary>Gets the host of each request received so far.</summary>
    public IReadOnlyList<string> Hosts => [.. requests.Select(HostOf).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by cancellation; its exception carries nothing to report.
        }

        stop.Dispose();
    }

    private static string HostOf(string requestLine)
    {
        string[] parts = requestLine.Split(' ');
        if (parts.Length < 2)
        {
            return string.Empty;
        }

        string target = parts[1];
        if (string.Equals(parts[0], "CONNECT", StringComparison.OrdinalIgnoreCase))
        {
            int colon = target.LastIndexOf(':');
            return colon > 0 ? target[..colon] : target;
        }

        return Uri.TryCreate(target, UriKind.Absolute, out Uri? uri) ? uri.Host : string.Empty;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RecordAsync(client);
        }
    }

    private async Task RecordAsync(TcpClient client)
    {
        using (client)
        {
            byte[] buffer = new byte[2048];
            int length = 0;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                NetworkStream stream = client.GetStream();
                while (length < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // A connection that sends no request line is still recorded below.
            }

            string text = Encoding.ASCII.GetString(buffer, 0, length);
            int end = text.IndexOf('\r', StringComparison.Ordinal) is var cr and >= 0 ? cr : text.IndexOf('\n', StringComparison.Ordinal);
            requests.Enqueue(end >= 0 ? text[..end] : text);
        }
    }
}
