using System.Diagnostics;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>The call span a user opens in a trace viewer: where it sits, what it says, when it ends.</summary>
public sealed class CallSpanTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Stream_WithCallerTraceparent_CallSpanContinuesTheCallersTraceUnderTheServerSpan()
    {
        var model = AiRequests.UniqueModel("trace");
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("traceparent", $"00-{callerTrace}-{callerSpan}-01")));
        await response.Content.ReadAsStringAsync();

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(callerTrace, call.TraceId);
        // The simulated upstream shares the process, so its server span is in the trace too.
        var server = _harness.SpansOfTrace(callerTrace).Single(s => s.Kind == ActivityKind.Server && s.ParentSpanId == callerSpan);
        Assert.True(server.SpanId == call.ParentSpanId, string.Join("\n", _harness.SpansOfTrace(callerTrace).Select(s => $"{s.Source.Name} {s.DisplayName} {s.Kind} id={s.SpanId} parent={s.ParentSpanId}")));
        Assert.Equal($"chat {model}", call.DisplayName);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.StartsWith($"00-{callerTrace}-", Assert.Single(response.Headers.GetValues("traceresponse")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_PacedAnthropicStream_SpanCarriesUsageTtftAndEndsAfterTheLastByte()
    {
        var model = AiRequests.UniqueModel("paced");
        using var client = _harness.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-ttft-ms", "300"), ("x-sim-deltas", "6"), ("x-sim-delta-gap-ms", "100"),
            ("x-sim-input-tokens", "41"), ("x-sim-output-tokens", "600"), ("x-sim-cache-read-tokens", "9"), ("x-sim-cache-creation-tokens", "3")),
            HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        var clientSawEnd = clock.Elapsed;

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Contains("message_stop", body, StringComparison.Ordinal);
        Assert.Equal("anthropic", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("anthropic", span.GetTagItem("ai.provider"));
        Assert.Equal(model, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal(256L, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(0.5, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(1, span.GetTagItem("ai.message_count"));
        Assert.Equal(41L + 9 + 3, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(41L, span.GetTagItem("ai.tokens.input"));
        Assert.Equal(600L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(9L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(3L, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal(true, span.GetTagItem("ai.cache_hit"));
        Assert.Equal(new[] { "end_turn" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal("end_turn", span.GetTagItem("ai.stop_reason"));
        Assert.Equal(6, span.GetTagItem("ai.chunks"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.StartsWith("msg_", (string)span.GetTagItem("gen_ai.response.id")!, StringComparison.Ordinal);
        var ttftMs = (double)span.GetTagItem("ai.ttft_ms")!;
        Assert.InRange(ttftMs, 300, 300 + 1500);
        Assert.Equal(ttftMs / 1000, (double)span.GetTagItem("gen_ai.response.time_to_first_chunk")!, 3);
        Assert.InRange((double)span.GetTagItem("glassbox.max_chunk_gap_ms")!, 90, 1500);
        // Five 100 ms gaps after the first delta: the span ends with the body, not with the headers.
        Assert.True(span.Duration >= TimeSpan.FromMilliseconds(300 + 450), $"span lasted {span.Duration}");
        Assert.True(span.Duration <= clientSawEnd + TimeSpan.FromSeconds(1), $"span {span.Duration}, client {clientSawEnd}");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Stream_ChatWithoutIncludeUsageAndInjectionOff_TokensAreAbsentNotZero()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Upstreams:OpenAI:InjectStreamUsage"] = "false" });
        var model = AiRequests.UniqueModel("nousage");
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.PostRaw("v1/chat/completions",
            $$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        await response.Content.ReadAsStringAsync();

        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Null(span.GetTagItem("glassbox.usage_injected"));
        Assert.Null(span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Null(span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(false, span.GetTagItem("glassbox.usage_reported"));
        Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Stream_CompressedUpstreamBody_TelemetryStillHasUsage(string encoding)
    {
        var model = AiRequests.UniqueModel("zip" + encoding);
        using var client = _harness.CreateClient();
        using var request = AiRequests.Post("v1/messages", model, stream: true, ("x-sim-compress", encoding), ("x-sim-deltas", "4"), ("x-sim-output-tokens", "44"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var response = await client.SendAsync(request);
        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        await response.Content.ReadAsByteArrayAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(44L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(4, span.GetTagItem("ai.chunks"));
        Assert.Equal(encoding, span.GetTagItem("glassbox.content_encoding"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
    }

    [Fact]
    public async Task Call_Metrics_RecordDurationTokensTtftAndChunkGaps()
    {
        var model = AiRequests.UniqueModel("metrics");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true,
            ("x-sim-deltas", "5"), ("x-sim-input-tokens", "14"), ("x-sim-output-tokens", "3")));
        await response.Content.ReadAsStringAsync();
        await _harness.WaitForCallSpanAsync(model);

        var duration = Assert.Single(_harness.MetricPoints("gen_ai.client.operation.duration", model));
        Assert.Equal(1, duration.GetHistogramCount());
        var tokens = _harness.MetricPoints("gen_ai.client.token.usage", model);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(17, tokens.Sum(p => p.GetHistogramSum()));
        Assert.Equal(1, Assert.Single(_harness.MetricPoints("gen_ai.client.operation.time_to_first_chunk", model)).GetHistogramCount());
        Assert.Equal(4, Assert.Single(_harness.MetricPoints("gen_ai.client.operation.time_per_output_chunk", model)).GetHistogramCount());
    }
}
