using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Glassbox.SimulatedUpstream.Hostile;

/// <summary>
/// A loopback TCP listener that answers HTTP/1.1 requests with bytes no HTTP server library would write:
/// a broken status line, a header line without a colon, a close before any byte, a body shorter than its
/// <c>content-length</c>. The request's <c>x-sim-hostile</c> header picks the breakage (default: the
/// constructor's). It also counts every connection, so a test can prove nothing was sent to it.
/// </summary>
public sealed class RawHostileServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HostileKind _defaultKind;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public RawHostileServer(HostileKind defaultKind = HostileKind.None)
    {
        _defaultKind = defaultKind;
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
    }

    public Uri Uri { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
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
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var kind = HeaderValue(head, "x-sim-hostile") is { } named ? HostileKinds.Parse(named) : _defaultKind;
                if (kind == HostileKind.CloseBeforeHeaders)
                {
                    return;
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(Answer(kind)), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
                // Keep the socket until the peer has read and closed, so it sees an orderly end (FIN, not RST).
                var drain = new byte[4096];
                using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                linger.CancelAfter(TimeSpan.FromSeconds(5));
                while (await stream.ReadAsync(drain, linger.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException or ObjectDisposedException)
            {
                // A peer that goes away, or a bad control header: nothing to answer.
            }
        }
    }

    private static string Answer(HostileKind kind) => kind switch
    {
        HostileKind.MalformedStatus => "HTTP/1.1 2OO OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        HostileKind.MalformedHeaders => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nthis header line has no colon\r\nContent-Length: 2\r\n\r\n{}",
        HostileKind.ShortBody => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"id\":\"msg_short\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"cut",
        _ => "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 31\r\nConnection: close\r\n\r\nno such raw breakage requested\n",
    };

    /// <summary>Reads the request head and discards a <c>content-length</c> body; null when the peer closed first.</summary>
    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                continue;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, end);
            var bodyRead = length - (end + 4);
            if (HeaderValue(head, "content-length") is { } value && long.TryParse(value, out var contentLength))
            {
                var discard = new byte[16 * 1024];
                for (var left = contentLength - bodyRead; left > 0;)
                {
                    var n = await stream.ReadAsync(discard.AsMemory(0, (int)Math.Min(discard.Length, left)), _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    left -= n;
                }
            }

            return head;
        }

        return null;
    }

    private static string? HeaderValue(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
