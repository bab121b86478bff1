using System.Net.Sockets;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Forwarding;

/// <summary>Clients that misbehave while sending: the gateway answers or lets go, never crashes or forwards half a request.</summary>
public sealed class BrokenRequestTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Send_ClientClosesMidUpload_NothingForwardedNothingLoggedAsError()
    {
        using (var socket = await ConnectAsync())
        {
            var head = $"POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {AiRequests.ApiKey}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + "{\"model\":\"half\",";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            await Task.Delay(100);
        }

        // The gateway still serves the next caller, and never sent the half request upstream.
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", AiRequests.UniqueModel("after"), stream: false));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _harness.SimulatorServices.GetRequiredService<SimulatorStats>().Requests);
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_MalformedChunkedBody_400InTheCallersDialect()
    {
        using var socket = await ConnectAsync();
        var request = $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {AiRequests.ApiKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{{}}\r\n0\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[8192];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (received.ToString().Contains("}}", StringComparison.Ordinal))
            {
                break;
            }
        }

        var text = received.ToString();
        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Contains("\"error\":{\"message\":\"The request body could not be read", text, StringComparison.Ordinal);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_harness.GatewayUri.Host, _harness.GatewayUri.Port);
        return socket;
    }
}
