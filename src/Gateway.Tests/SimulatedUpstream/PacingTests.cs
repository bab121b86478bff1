using System.Diagnostics;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class PacingTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static double Ms(TimeSpan t) => t.TotalMilliseconds;

    [Fact]
    public async Task ChatStream_TtftAndDeltaGap_HeadersEarlyThenDeltasSpaced()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m","stream":true}""", true,
            ("x-sim-deltas", "4"), ("x-sim-ttft-ms", "400"), ("x-sim-delta-gap-ms", "150"));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersAt = clock.Elapsed;
        var lines = await SseTestReader.TimedLinesAsync(await response.Content.ReadAsStreamAsync(), clock);

        var deltas = lines.Where(l => l.Line.Contains("\"content\":\"word", StringComparison.Ordinal)).Select(l => l.At).ToList();
        var roleChunk = lines.First(l => l.Line.Contains("\"role\":\"assistant\"", StringComparison.Ordinal)).At;
        Assert.Equal(4, deltas.Count);
        Assert.True(Ms(headersAt) < Ms(deltas[0]) - 300, $"headers at {headersAt}, first delta at {deltas[0]}");
        Assert.True(Ms(deltas[0] - roleChunk) >= 0.8 * 400, $"ttft {deltas[0] - roleChunk}");
        for (var i = 1; i < deltas.Count; i++)
            Assert.True(Ms(deltas[i] - deltas[i - 1]) >= 0.8 * 150, $"gap {i}: {deltas[i] - deltas[i - 1]}");
    }

    [Fact]
    public async Task AnthropicStream_StallAfterOne_PausesMidStream()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true,
            ("x-sim-deltas", "3"), ("x-sim-stall-after", "1"), ("x-sim-stall-ms", "400"));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = await SseTestReader.TimedLinesAsync(await response.Content.ReadAsStreamAsync(), clock);

        var deltas = lines.Where(l => l.Line.Contains("text_delta", StringComparison.Ordinal)).Select(l => l.At).ToList();
        Assert.Equal(3, deltas.Count);
        Assert.True(Ms(deltas[1] - deltas[0]) >= 0.8 * 400, $"pause {deltas[1] - deltas[0]}");
        Assert.True(Ms(deltas[2] - deltas[1]) < 300, $"no pause {deltas[2] - deltas[1]}");
    }

    [Fact]
    public async Task Request_HeadersDelay_HeadersArriveLate()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true, ("x-sim-headers-delay-ms", "400"));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.True(Ms(clock.Elapsed) >= 0.8 * 400, $"headers after {clock.Elapsed}");
        Assert.Equal(200, (int)response.StatusCode);
    }
}
