using System.Diagnostics;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Forwarding;

/// <summary>What a client receives through the gateway is exactly what the upstream sent, as it was sent.</summary>
public sealed class TransparencyTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public static TheoryData<string, bool, string, string> Scenarios()
    {
        var data = new TheoryData<string, bool, string, string>();
        foreach (var path in new[] { "v1/messages", "v1/chat/completions", "v1/responses" })
        {
            foreach (var stream in new[] { true, false })
            {
                foreach (var content in new[] { "text", "tool", "thinking" })
                {
                    data.Add(path, stream, content, "none");
                }
            }

            data.Add(path, true, "text", "error-event");
            data.Add(path, false, "text", "status");
        }

        return data;
    }

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Send_AnySimulatorScenario_ClientGetsTheUpstreamBytesUnchanged(string path, bool stream, string content, string fault)
    {
        (string, string)[] control =
        [
            ("x-sim-id", "fixed01"), ("x-sim-created", "1721631035"), ("x-sim-content", content), ("x-sim-deltas", "4"),
            ("x-sim-fault", fault), ("x-sim-fault-after", "2"), ("x-sim-status", "529"), ("x-sim-retry-after", "3"),
            ("x-sim-cache-read-tokens", "7"),
        ];
        using var direct = new HttpClient { BaseAddress = _harness.SimulatorUri };
        using var viaGateway = _harness.CreateClient();

        using var directResponse = await direct.SendAsync(AiRequests.Post(path, "transparent", stream, control));
        using var gatewayResponse = await viaGateway.SendAsync(AiRequests.Post(path, "transparent", stream, control));

        Assert.Equal(directResponse.StatusCode, gatewayResponse.StatusCode);
        Assert.Equal(directResponse.Content.Headers.ContentType, gatewayResponse.Content.Headers.ContentType);
        Assert.Equal(Header(directResponse, "retry-after"), Header(gatewayResponse, "retry-after"));
        Assert.Equal(Header(directResponse, "request-id") ?? Header(directResponse, "x-request-id"), Header(gatewayResponse, "request-id") ?? Header(gatewayResponse, "x-request-id"));
        var expected = await directResponse.Content.ReadAsByteArrayAsync();
        var actual = await gatewayResponse.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("v1/messages")]
    [InlineData("v1/chat/completions")]
    [InlineData("v1/responses")]
    public async Task Stream_PacedDeltas_FirstChunkReachesClientBeforeTheStreamEnds(string path)
    {
        using var client = _harness.CreateClient();
        using var request = AiRequests.Post(path, "paced", stream: true, ("x-sim-deltas", "5"), ("x-sim-delta-gap-ms", "200"), ("x-sim-ttft-ms", "100"));
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var received = new List<(TimeSpan At, string Text)>();
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            received.Add((clock.Elapsed, System.Text.Encoding.UTF8.GetString(buffer, 0, read)));
        }

        var firstDelta = received.First(r => r.Text.Contains("word0", StringComparison.Ordinal)).At;
        var lastDelta = received.First(r => r.Text.Contains("word4", StringComparison.Ordinal)).At;
        // Four 200 ms gaps separate the first and last delta upstream; a held-back stream would collapse them.
        Assert.True(lastDelta - firstDelta > TimeSpan.FromMilliseconds(500), $"first delta at {firstDelta}, last at {lastDelta}");
        Assert.DoesNotContain("word1", received.First(r => r.Text.Contains("word0", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
