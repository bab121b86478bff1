using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Glassbox.Gateway.Lifecycle;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Lifecycle;

/// <summary>/healthz and /readyz: answered by the gateway itself, never forwarded, traced or logged per request.</summary>
public sealed class ProbeTests
{
    [Theory]
    [InlineData("/healthz", "ok")]
    [InlineData("/readyz", "ready")]
    public async Task Get_ProbeWhileRunning_200AnsweredByTheGatewayNotTracedNotLogged(string path, string body)
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var spansBefore = harness.Spans.Ended.Count;

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync()); // the gateway's own answer: the simulator knows no such path
        // A request the gateway served and traced ends its server span before the response is read.
        await Task.Delay(200);
        Assert.DoesNotContain(harness.Spans.Ended.Skip(spansBefore), s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), path));
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_ReadyzAfterShutdownBegan_503WhileNewRequestsAreStillAccepted_ThenRefused()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Shutdown:DrainDelay"] = "00:00:02" });
        using var client = harness.CreateClient(TimeSpan.FromSeconds(5));
        var drain = harness.GatewayServices.GetRequiredService<DrainCoordinator>();

        var stopping = Task.Run(() => harness.StopGatewayAsync());
        await WaitUntilAsync(() => !drain.IsAcceptingCalls);

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var healthy = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode); // still alive: liveness must not restart a draining pod

        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, harness.GatewayUri.Port).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
