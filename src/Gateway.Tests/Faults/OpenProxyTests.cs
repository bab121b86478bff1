using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;
using Glassbox.SimulatedUpstream.Hostile;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// The gateway is not an open proxy (docs/faults.md, "routing"): whatever the request line or Host header
/// names, bytes go only to the configured upstreams. A canary listener stands for "another site".
/// </summary>
public sealed class OpenProxyTests : IAsyncLifetime, IDisposable
{
    private GatewayHarness _harness = null!;
    private RawHostileServer _canary = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync()
    {
        _canary = new RawHostileServer();
        _harness = await GatewayHarness.StartAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public void Dispose() => _canary.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public async Task Send_AbsoluteFormTargetNamingAnotherHost_GoesToTheConfiguredUpstreamOnly()
    {
        var answer = await SendRawAsync($"POST {_canary.Uri}v1/messages HTTP/1.1\r\nHost: {_canary.Uri.Authority}\r\n" + Anthropic("absolute"));

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal(1, Stats.Requests);
        Assert.Equal(0, _canary.Connections);
    }

    [Fact]
    public async Task Send_Connect_RefusedAndNoTunnelOpened()
    {
        var answer = await SendRawAsync($"CONNECT {_canary.Uri.Authority} HTTP/1.1\r\nHost: {_canary.Uri.Authority}\r\n\r\n", until: "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 405", answer, StringComparison.Ordinal);
        Assert.Equal(0, _canary.Connections);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_HostHeaderNamingAnotherSite_GoesToTheConfiguredUpstreamOnly()
    {
        var answer = await SendRawAsync($"POST /v1/messages HTTP/1.1\r\nHost: {_canary.Uri.Authority}\r\n" + Anthropic("foreignhost"));

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal(1, Stats.Requests);
        Assert.Equal(0, _canary.Connections);
    }

    [Fact]
    public async Task Send_UnroutedPathWithForeignHost_GoesToTheDefaultUpstreamOnly()
    {
        var answer = await SendRawAsync($"GET {_canary.Uri}anything HTTP/1.1\r\nHost: {_canary.Uri.Authority}\r\n\r\n", until: "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 404", answer, StringComparison.Ordinal); // the simulator's answer for an unknown path
        Assert.Equal(0, _canary.Connections);
    }

    private static string Anthropic(string model)
    {
        var body = AiRequests.Body("v1/messages", AiRequests.UniqueModel(model), stream: false);
        return $"x-api-key: {AiRequests.ApiKey}\r\nanthropic-version: 2023-06-01\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    private async Task<string> SendRawAsync(string request, string until = "}")
    {
        using var raw = await RawClient.ConnectAsync(_harness.GatewayUri);
        await raw.SendAsync(request);
        return await raw.ReceiveAsync(TimeSpan.FromSeconds(10), until);
    }
}
