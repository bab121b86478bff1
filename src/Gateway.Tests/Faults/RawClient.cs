using System.Net.Sockets;
using System.Text;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>A client that writes exactly the bytes it is given, for requests HttpClient refuses to produce.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private RawClient()
    {
    }

    public static async Task<RawClient> ConnectAsync(Uri server)
    {
        var client = new RawClient();
        await client._socket.ConnectAsync(server.Host, server.Port);
        return client;
    }

    public Task SendAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes);

    /// <summary>Sends <paramref name="text"/> one byte per <paramref name="gap"/>; stops quietly when the server closes.</summary>
    public async Task<int> TrickleAsync(string text, TimeSpan gap, CancellationToken cancellationToken)
    {
        var sent = 0;
        try
        {
            foreach (var b in Encoding.ASCII.GetBytes(text))
            {
                await _socket.SendAsync(new[] { b }, cancellationToken);
                sent++;
                await Task.Delay(gap, cancellationToken);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }

        return sent;
    }

    /// <summary>Everything received until the server closes, <paramref name="until"/> appears, or the timeout passes.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout, string? until = null)
    {
        var received = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            int read;
            while ((read = await _socket.ReceiveAsync(buffer, cancel.Token)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (until is not null && received.ToString().Contains(until, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }

        return received.ToString();
    }

    public void Dispose() => _socket.Dispose();
}
