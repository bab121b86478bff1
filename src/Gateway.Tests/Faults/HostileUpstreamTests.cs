using System.Diagnostics;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;
using Glassbox.SimulatedUpstream.Hostile;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// Upstreams that answer with something other than their API (docs/faults.md, "upstream"): the client
/// gets exactly the upstream's bytes, the span says what the observer could not understand, and the
/// side copy stays within its caps.
/// </summary>
[Collection(HeavyTrafficGroup.Name)]
public sealed class HostileUpstreamTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Call_Html200_ClientGetsThePageSpanRecordsUnreadableBody()
    {
        var model = AiRequests.UniqueModel("html");
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: false, ("x-sim-hostile", "html-200")));

        Assert.Equal(200, outcome.Status);
        Assert.Equal("text/html", outcome.ContentType?.MediaType);
        Assert.Equal(HostileResponses.HtmlPage, outcome.HeadText);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("Malformed JSON in the response body.", span.GetTagItem("glassbox.observation_problem"));
        Assert.Equal(false, span.GetTagItem("glassbox.usage_reported"));
    }

    [Fact]
    public async Task Stream_EventStreamCarryingJson_ClientGetsTheJsonSpanRecordsNoEvents()
    {
        var model = AiRequests.UniqueModel("ssejson");
        var outcome = await SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true, ("x-sim-hostile", "sse-json")));

        Assert.Equal(200, outcome.Status);
        Assert.StartsWith("{\"id\":\"chatcmpl-", outcome.HeadText, StringComparison.Ordinal);
        Assert.True(outcome.EndedCleanly);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("Stream ended inside an unterminated SSE event; it was dropped.", span.GetTagItem("glassbox.observation_problem"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
    }

    [Fact]
    public async Task Stream_TenMegabyteEvent_ClientGetsEveryByteTelemetryResumesAfterIt()
    {
        var model = AiRequests.UniqueModel("hugeevent");
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-hostile", "huge-event"), ("x-sim-input-tokens", "41")));

        Assert.True(outcome.EndedCleanly);
        Assert.True(outcome.Bytes > HostileKinds.DefaultBytes(HostileKind.HugeEvent));
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", outcome.TailText, StringComparison.Ordinal);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("SSE event exceeded the size cap and was skipped.", span.GetTagItem("glassbox.observation_problem"));
        Assert.Equal(41L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
    }

    [Fact]
    public async Task Stream_HundredMegabytesWithoutALineBreak_ClientGetsEveryByteSpanRecordsTheCap()
    {
        var model = AiRequests.UniqueModel("nonewline");
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-hostile", "no-newline")));

        Assert.True(outcome.EndedCleanly);
        Assert.Equal(HostileKinds.DefaultBytes(HostileKind.NoNewline), outcome.Bytes);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("SSE event exceeded the size cap and was skipped.", span.GetTagItem("glassbox.observation_problem"));
    }

    [Fact]
    public async Task Call_GzipBomb_ClientGetsTheCompressedBytesDecoderStopsAtItsCap()
    {
        var model = AiRequests.UniqueModel("gzipbomb");
        var request = AiRequests.Post("v1/messages", model, stream: false, ("x-sim-hostile", "gzip-bomb"));
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var outcome = await SendAsync(request);

        Assert.Equal(200, outcome.Status);
        Assert.Equal(GzipBomb.CompressedBytes(HostileKinds.DefaultBytes(HostileKind.GzipBomb)), outcome.Bytes);
        var span = await _harness.WaitForCallSpanAsync(model, TimeSpan.FromSeconds(30));
        Assert.Equal("gzip", span.GetTagItem("glassbox.content_encoding"));
        // The JSON observer's cap is hit first (that problem is the one kept); the decoder stops soon after, at its own cap.
        Assert.Equal("Response body exceeded the observation cap; it was not parsed.", span.GetTagItem("glassbox.observation_problem"));
    }

    [Fact]
    public async Task Call_ShortBodyAfterHeaders_ClientGetsTheBytesSentSpanSaysInterrupted()
    {
        var model = AiRequests.UniqueModel("shortbody");
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: false, ("x-sim-hostile", "short-body")));

        // The response is aborted like the upstream's: the client may see the first bytes, or only the reset.
        Assert.False(outcome.EndedCleanly);
        Assert.True(outcome.Status == 0 || outcome.HeadText.StartsWith("{\"id\":\"msg_", StringComparison.Ordinal), outcome.HeadText);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_interrupted", span.GetTagItem("glassbox.end_reason"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task Call_RetryAfterOfADay_ForwardedAtOnceWithoutWaiting()
    {
        var model = AiRequests.UniqueModel("retryafterday");
        var clock = Stopwatch.StartNew();
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after", "99999")));

        Assert.Equal(429, outcome.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: a retry-after past Retry:MaxDelay must not be waited for");
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("99999", span.GetTagItem("ai.error.retry_after"));
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal(1, _harness.SimulatorServices.GetRequiredService<SimulatorStats>().Requests);
    }

    [Fact]
    public async Task Call_UpstreamClosesBeforeHeaders_502InTheCallersDialect()
    {
        var model = AiRequests.UniqueModel("closefirst");
        var outcome = await SendAsync(AiRequests.Post("v1/messages", model, stream: false, ("x-sim-hostile", "close-before-headers")));

        Assert.Equal(502, outcome.Status);
        Assert.Contains("\"type\":\"error\",\"error\":{\"type\":\"api_error\"", outcome.HeadText, StringComparison.Ordinal);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
    }

    private async Task<ClientOutcome> SendAsync(HttpRequestMessage request)
    {
        using var client = _harness.CreateClient();
        return await ClientOutcome.SendAsync(client, request);
    }
}
