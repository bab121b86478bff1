using System.Net;
using System.Net.Sockets;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>Thousands of idle keep-alive connections do not starve the callers that do send requests.</summary>
[Collection(HeavyTrafficGroup.Name)]
public sealed class IdleConnectionsTests
{
    private const int IdleConnections = 5000;

    [Fact]
    public async Task Hold5000IdleKeepAliveConnections_OtherCallersStillServed()
    {
        // Client and server ends both live in this process: two descriptors per connection.
        var limit = OpenFileLimit();
        Assert.True(limit > (2 * IdleConnections) + 1000, $"open-file limit {limit} is too low for {IdleConnections} connections (bash .ci/run raises it with ulimit -n)");
        await using var harness = await GatewayHarness.StartAsync();
        var sockets = new List<Socket>(IdleConnections);
        try
        {
            var request = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n");
            foreach (var batch in Enumerable.Range(0, IdleConnections).Chunk(250))
            {
                var opened = await Task.WhenAll(batch.Select(async _ =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, harness.GatewayUri.Port);
                    await socket.SendAsync(request);
                    var buffer = new byte[512];
                    var read = await socket.ReceiveAsync(buffer);
                    Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
                    return socket; // kept open and idle: keep-alive
                }));
                sockets.AddRange(opened);
            }

            using var client = harness.CreateClient(TimeSpan.FromSeconds(20));
            var model = AiRequests.UniqueModel("idle5000");
            using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("message_stop", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(IdleConnections, sockets.Count(s => s.Connected));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static long OpenFileLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? long.MaxValue : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
