using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>A real SMTP server on 127.0.0.1: Debian's python3-aiosmtpd, storing each message in a maildir (installed by .ci/run).</summary>
internal sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _maildir;
    private readonly StringBuilder _log = new();

    private SmtpReceiver(Process process, string maildir, int port)
    {
        _process = process;
        _maildir = maildir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpReceiver> StartAsync()
    {
        int port = FreePort();
        string maildir = Path.Combine(Path.GetTempPath(), "sluice-smtp-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var receiver = new SmtpReceiver(process, maildir, port);
        process.OutputDataReceived += (_, e) => receiver.Log(e.Data);
        process.ErrorDataReceived += (_, e) => receiver.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return receiver;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                await receiver.DisposeAsync();
                throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{port} (install python3-aiosmtpd; .ci/run does): {receiver._log}");
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages have arrived and returns them, oldest first.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesAsync(int count)
    {
        string folder = Path.Combine(_maildir, "new");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            string[] files = Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
            if (files.Length >= count || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return [.. files.Select(f => MimeMessage.Load(f)).OrderBy(m => m.Date)];
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_maildir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private void Log(string? line)
    {
        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
