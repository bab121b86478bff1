using System.Diagnostics;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Phases;

/// <summary>"Where did the 14 seconds go": each phase of a call is its own span with real times.</summary>
// Phase spans are read from the in-process gateway; the published executable's spans are checked over OTLP (OtlpExportTests).
[Trait(GatewayHarness.InProcessOnly, "true")]
public sealed class PhaseSpanTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Stream_HeadersDelayThenTtftThenPacedDeltas_PhaseSpansNestAndMatchTheDelays()
    {
        var model = AiRequests.UniqueModel("anatomy");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-headers-delay-ms", "300"), ("x-sim-ttft-ms", "500"), ("x-sim-deltas", "10"), ("x-sim-delta-gap-ms", "50")));
        await response.Content.ReadAsStringAsync();

        var call = await _harness.WaitForCallSpanAsync(model);
        var trace = _harness.SpansOfTrace(call.TraceId);
        var attempt = Assert.Single(trace, s => s.DisplayName == "upstream attempt" && s.ParentSpanId == call.SpanId);
        var read = Assert.Single(trace, s => s.DisplayName == "read request" && s.ParentSpanId == call.SpanId);
        Activity Phase(string name) => Assert.Single(trace, s => s.DisplayName == name && s.ParentSpanId == attempt.SpanId);

        var waitHeaders = Phase("wait for response headers");
        var ttft = Phase("time to first token");
        var generation = Phase("generation");
        var tail = Phase("stream tail");
        // Generous bounds: on a busy 2-core machine the gateway may note the headers a few tens of ms late,
        // which lengthens one phase and shortens the next by the same amount.
        Assert.InRange(waitHeaders.Duration.TotalMilliseconds, 300 * 0.85, 300 + 700);
        Assert.InRange(ttft.Duration.TotalMilliseconds, 500 * 0.85, 500 + 700);
        Assert.InRange(generation.Duration.TotalMilliseconds, 9 * 50 * 0.9, 9 * 50 + 2000);
        Assert.InRange(tail.Duration.TotalMilliseconds, 0, 500);

        // Phases follow each other inside the attempt, and the attempt inside the call.
        AssertWithin(call, read);
        AssertWithin(call, attempt);
        foreach (var phase in new[] { waitHeaders, ttft, generation, tail })
        {
            AssertWithin(attempt, phase);
        }

        AssertFollows(waitHeaders, ttft);
        AssertFollows(ttft, generation);
        AssertFollows(generation, tail);
        var parts = read.Duration + (attempt.StartTimeUtc - (read.StartTimeUtc + read.Duration)) + (ttft.StartTimeUtc - attempt.StartTimeUtc)
            + ttft.Duration + generation.Duration + tail.Duration;
        Assert.InRange((call.Duration - parts).Duration().TotalMilliseconds, 0, 50);

        Assert.InRange((double)call.GetTagItem("ai.ttft_ms")!, 800, 800 + 1000);
        Assert.InRange((double)call.GetTagItem("glassbox.ttfb_ms")!, 300, 300 + 700);
        Assert.InRange((double)call.GetTagItem("glassbox.generation_ms")!, 9 * 50 * 0.9, 9 * 50 + 2000);
        Assert.NotNull(call.GetTagItem("glassbox.request_read_ms"));
    }

    [Fact]
    public async Task Send_OneConnectionTwoCalls_SecondCallReusesItWithoutConnectPhase()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var first = AiRequests.UniqueModel("conn1");
        var second = AiRequests.UniqueModel("conn2");
        (await client.SendAsync(AiRequests.Post("v1/chat/completions", first, stream: false))).Dispose();
        (await client.SendAsync(AiRequests.Post("v1/chat/completions", second, stream: false))).Dispose();

        var firstCall = await harness.WaitForCallSpanAsync(first);
        var secondCall = await harness.WaitForCallSpanAsync(second);
        Assert.Equal(false, firstCall.GetTagItem("glassbox.connection.reused"));
        Assert.NotNull(firstCall.GetTagItem("glassbox.connect_ms"));
        Assert.Null(firstCall.GetTagItem("glassbox.dns_ms")); // an IP literal needs no lookup
        Assert.Equal(true, secondCall.GetTagItem("glassbox.connection.reused"));
        Assert.Null(secondCall.GetTagItem("glassbox.connect_ms"));
        Assert.Contains(harness.SpansOfTrace(firstCall.TraceId), s => s.DisplayName == "connect");
        Assert.DoesNotContain(harness.SpansOfTrace(secondCall.TraceId), s => s.DisplayName == "connect");
    }

    [Fact]
    public async Task Send_HttpsByHostNameOnNewConnection_DnsConnectAndTlsPhasesAppearThenConnectionIsReused()
    {
        await using var harness = await GatewayHarness.StartAsync(httpsUpstream: true);
        using var client = harness.CreateClient();
        var first = AiRequests.UniqueModel("tls1");
        var second = AiRequests.UniqueModel("tls2");
        using (var response = await client.SendAsync(AiRequests.Post("v1/messages", first, stream: true)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("message_stop", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await client.SendAsync(AiRequests.Post("v1/messages", second, stream: true))).Dispose();

        var firstCall = await harness.WaitForCallSpanAsync(first);
        var attempt = Assert.Single(harness.SpansOfTrace(firstCall.TraceId), s => s.DisplayName == "upstream attempt");
        string[] connectionPhases = ["dns", "connect", "tls handshake", "send request", "wait for response headers"];
        var phases = harness.SpansOfTrace(firstCall.TraceId)
            .Where(s => s.ParentSpanId == attempt.SpanId && connectionPhases.Contains(s.DisplayName))
            .OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName);
        Assert.Equal(connectionPhases, phases);
        Assert.NotNull(firstCall.GetTagItem("glassbox.dns_ms"));
        Assert.True((double)firstCall.GetTagItem("glassbox.tls_ms")! > 0);
        Assert.Equal(false, attempt.GetTagItem("glassbox.connection.reused"));

        var secondCall = await harness.WaitForCallSpanAsync(second);
        var secondAttempt = Assert.Single(harness.SpansOfTrace(secondCall.TraceId), s => s.DisplayName == "upstream attempt");
        Assert.Equal(true, secondAttempt.GetTagItem("glassbox.connection.reused"));
        Assert.DoesNotContain(harness.SpansOfTrace(secondCall.TraceId), s => s.DisplayName is "dns" or "connect" or "tls handshake");
        Assert.Null(secondCall.GetTagItem("glassbox.tls_ms"));
    }

    [Fact]
    public async Task Stream_TwoSecondStallMidStream_LargestGapReportsIt()
    {
        var model = AiRequests.UniqueModel("gap");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true,
            ("x-sim-deltas", "6"), ("x-sim-delta-gap-ms", "20"), ("x-sim-stall-after", "3"), ("x-sim-stall-ms", "2000"), ("x-sim-output-tokens", "60")));
        await response.Content.ReadAsStringAsync();

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.InRange((double)call.GetTagItem("glassbox.max_chunk_gap_ms")!, 1950, 4000);
        var rate = (double)call.GetTagItem("glassbox.output_tokens_per_second")!;
        Assert.InRange(rate, 60 / 3.0, 60 / 2.0); // 60 tokens over ~2.1 s of generation
    }

    [Fact]
    public async Task Send_SlowUpstream_OverheadIsMeasuredAndSmallAgainstUpstreamTime()
    {
        var model = AiRequests.UniqueModel("overhead");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-headers-delay-ms", "1000"), ("x-sim-deltas", "20"), ("x-sim-delta-gap-ms", "10")));
        await response.Content.ReadAsStringAsync();

        var call = await _harness.WaitForCallSpanAsync(model);
        var overheadMs = (double)call.GetTagItem("glassbox.gateway_overhead_ms")!;
        Assert.InRange(overheadMs, 0.0001, 0.25 * call.Duration.TotalMilliseconds);
        var metric = Assert.Single(_harness.MetricPoints("glassbox.gateway.overhead", model));
        Assert.Equal(1, metric.GetHistogramCount());
        Assert.InRange(metric.GetHistogramSum(), 0, 0.25 * call.Duration.TotalSeconds);
    }

    [Fact]
    public async Task Send_NonStreaming_ServerTimingSplitsGatewayAndUpstream()
    {
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", AiRequests.UniqueModel("timing"), stream: false, ("x-sim-headers-delay-ms", "200")));

        var timing = string.Join(",", response.Headers.GetValues("Server-Timing"));
        var parts = timing.Split(',', StringSplitOptions.TrimEntries).ToDictionary(p => p.Split(';')[0], p => double.Parse(p.Split("dur=")[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(parts["upstream"], 200, 2000);
        Assert.InRange(parts["gateway"], 0, 100);
    }

    [Theory]
    [InlineData("v1/messages", "input_tokens")]
    [InlineData("v1/chat/completions", "tokens")]
    public async Task Send_ProviderRateLimitHeaders_BecomeAttributesAndGauges(string path, string kind)
    {
        var model = AiRequests.UniqueModel("headroom");
        using var client = _harness.CreateClient();
        (await client.SendAsync(AiRequests.Post(path, model, stream: false))).Dispose();

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.IsType<long>(call.GetTagItem($"glassbox.ratelimit.{kind}.remaining"));
        Assert.IsType<long>(call.GetTagItem("glassbox.ratelimit.requests.limit"));
        Assert.NotNull(call.GetTagItem("glassbox.ratelimit.requests.reset"));
        var upstream = path == "v1/messages" ? "Anthropic" : "OpenAI";
        Assert.True(_harness.GaugeValue("glassbox.ratelimit.remaining", upstream, "requests") > 0);
        Assert.True(_harness.GaugeValue("glassbox.ratelimit.limit", upstream, "requests") > 0);
    }

    private static void AssertWithin(Activity outer, Activity inner)
    {
        var slack = TimeSpan.FromMilliseconds(2);
        Assert.True(inner.StartTimeUtc >= outer.StartTimeUtc - slack, $"{inner.DisplayName} starts before {outer.DisplayName}");
        Assert.True(inner.StartTimeUtc + inner.Duration <= outer.StartTimeUtc + outer.Duration + slack, $"{inner.DisplayName} ends after {outer.DisplayName}");
    }

    private static void AssertFollows(Activity first, Activity next) =>
        Assert.True((next.StartTimeUtc - (first.StartTimeUtc + first.Duration)).Duration() < TimeSpan.FromMilliseconds(2), $"{next.DisplayName} does not follow {first.DisplayName}");
}
