using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StockForecaster.Tests.Sources;

/// <summary>One scripted answer of <see cref="LoopbackServer"/>.</summary>
internal sealed record Reply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public static Reply Json(string body) => new(200, body);

    public static Reply Code(int status, string body = "") => new(status, body);
}

/// <summary>A real HTTP server on 127.0.0.1 that answers each request with the next scripted <see cref="Reply"/> (the last one repeats) and records what it was asked.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Reply[] _script;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _loop;
    private int _count;

    private LoopbackServer(HttpListener listener, int port, Reply[] script)
    {
        _listener = listener;
        _script = script;
        BaseUrl = $"http://127.0.0.1:{port}/query";
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Gets the endpoint to put in AlphaVantage:BaseUrl.</summary>
    public string BaseUrl { get; }

    /// <summary>Gets the path and query of every request received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static LoopbackServer Start(params Reply[] script)
    {
        // A port the OS just handed out is free; the short window before HttpListener takes it is retried.
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, port, script);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Returns a base URL on a loopback port nobody listens on, so connections are refused.</summary>
    public static string RefusingUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/query";
    }

    /// <summary>Waits (in real time, bounded) until <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        while (Volatile.Read(ref _count) < count)
        {
            if (!await _arrived.WaitAsync(TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"Expected {count} requests, got {Volatile.Read(ref _count)}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }

        _listener.Close();
        _arrived.Dispose();
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

            int index = Interlocked.Increment(ref _count) - 1;
            _requests.Enqueue(context.Request.RawUrl ?? "");
            _arrived.Release();
            _ = AnswerAsync(context, _script[Math.Min(index, _script.Length - 1)]);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, Reply reply)
    {
        try
        {
            if (reply.Hang)
            {
                await _released.Task;
                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = reply.Status;
            foreach ((string name, string value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.AddHeader(name, value);
            }

            byte[] body = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
    }
}
