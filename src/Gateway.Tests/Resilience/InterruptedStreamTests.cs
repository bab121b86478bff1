using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>Streams that break after the headers: the client's stream ends cleanly and the span says why.</summary>
public sealed class InterruptedStreamTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Glassbox:Upstreams:Anthropic:Timeouts:Idle"] = "00:00:01.5",
        ["Glassbox:Upstreams:OpenAI:Timeouts:Idle"] = "00:00:01.5",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("v1/messages", "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"")]
    [InlineData("v1/chat/completions", "data: {\"error\":{\"message\":")]
    [InlineData("v1/responses", "event: error\ndata: {\"type\":\"error\",\"code\":\"stream_interrupted\"")]
    public async Task Stream_UpstreamResetMidStream_ClientStreamEndsWithDialectErrorAndSpanSaysInterrupted(string path, string expectedTail)
    {
        var model = AiRequests.UniqueModel("reset");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post(path, model, stream: true,
            ("x-sim-fault", "reset"), ("x-sim-fault-after", "2"), ("x-sim-input-tokens", "33")), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("word1", body, StringComparison.Ordinal);
        Assert.Contains(expectedTail, body, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal("upstream_interrupted", span.GetTagItem("glassbox.end_reason"));
        Assert.Equal(2, span.GetTagItem("ai.chunks"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(span.Events, e => e.Name == "exception");
        if (path == "v1/messages")
        {
            Assert.Equal(33L, span.GetTagItem("ai.tokens.input")); // partial usage from message_start is kept
        }

        Assert.Equal(0L, await WaitForActiveRequestsAsync());
    }

    [Fact]
    public async Task Stream_AnthropicSdkSeesInterruption_RaisesItsSseError()
    {
        await using var harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:Fault"] = "reset",
            ["Simulator:FaultAfter"] = "2",
        });
        var model = AiRequests.UniqueModel("resetsdk");
        var client = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions { BaseUrl = harness.GatewayUri.ToString().TrimEnd('/'), ApiKey = AiRequests.ApiKey, MaxRetries = 0 });
        var parameters = new Anthropic.Models.Messages.MessageCreateParams { Model = model, MaxTokens = 100, Messages = [new Anthropic.Models.Messages.UserMessageParam("hi")] };

        var error = await Assert.ThrowsAsync<Anthropic.Exceptions.AnthropicSseException>(async () =>
        {
            await foreach (var _ in client.Messages.CreateStreaming(parameters))
            {
            }
        });

        Assert.Contains("upstream connection broke", error.ApiMessage, StringComparison.Ordinal);
        if (!harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        Assert.Equal("stream_interrupted", (await harness.WaitForCallSpanAsync(model)).GetTagItem("ai.error.type"));
    }

    [Theory]
    [InlineData("v1/messages", "overloaded")]
    [InlineData("v1/chat/completions", "api_error")]
    [InlineData("v1/responses", "api_error")]
    public async Task Stream_UpstreamErrorEvent_RecordedWithItsType(string path, string aiErrorType)
    {
        var model = AiRequests.UniqueModel("errevent");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post(path, model, stream: true, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1")));
        await response.Content.ReadAsStringAsync();

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(aiErrorType, span.GetTagItem("ai.error.type"));
        Assert.NotNull(span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(1, span.GetTagItem("ai.chunks"));
        Assert.Equal(0L, await WaitForActiveRequestsAsync());
    }

    [Fact]
    public async Task Stream_StallBeyondIdleTimeout_StreamEndsAndUpstreamRequestIsCancelled()
    {
        var model = AiRequests.UniqueModel("stall");
        using var client = _harness.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-fault", "stall"), ("x-sim-fault-after", "2")),
            HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.Contains("idle timeout", body, StringComparison.Ordinal);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("timeout", span.GetTagItem("ai.error.type"));
        Assert.Equal("idle", span.GetTagItem("glassbox.timeout"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(0L, await WaitForActiveRequestsAsync());
    }

    [Fact]
    public async Task Stream_SilentThinkingPauseShorterThanIdleTimeout_IsNotCut()
    {
        var model = AiRequests.UniqueModel("thinking");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-deltas", "3"), ("x-sim-stall-after", "1"), ("x-sim-stall-ms", "1200")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("message_stop", body, StringComparison.Ordinal);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Null(span.GetTagItem("ai.error.type"));
        Assert.InRange((double)span.GetTagItem("glassbox.max_chunk_gap_ms")!, 1150, 5000);
    }

    [Fact]
    public async Task Stream_ClientDisconnectsAfterTwoChunks_UpstreamCancelledAndSpanSaysClientDisconnected()
    {
        var model = AiRequests.UniqueModel("disconnect");
        var abortedBefore = Stats.Aborted;
        var client = _harness.CreateClient();
        var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-deltas", "50"), ("x-sim-delta-gap-ms", "100"), ("x-sim-input-tokens", "21")), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var seen = "";
        var buffer = new byte[4096];
        while (!seen.Contains("word1", StringComparison.Ordinal))
        {
            seen += System.Text.Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer));
        }

        var closedAt = Stopwatch.StartNew();
        response.Dispose();
        client.Dispose(); // closes the socket: MaxResponseDrainSize = 0

        Assert.Equal(0L, await WaitForActiveRequestsAsync());
        Assert.True(closedAt.Elapsed < TimeSpan.FromSeconds(1.5), $"upstream still busy {closedAt.Elapsed} after the client left");
        Assert.True(Stats.Aborted > abortedBefore);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("client_disconnected", span.GetTagItem("ai.error.type"));
        Assert.Equal("client_disconnected", span.GetTagItem("glassbox.end_reason"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(21L, span.GetTagItem("ai.tokens.input"));
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
    }

    private async Task<long> WaitForActiveRequestsAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (Stats.Active > 0 && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        return Stats.Active;
    }
}
