using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>Google's native Gemini API through the gateway: forwarded byte for byte, observed as deeply as the other dialects.</summary>
public sealed class GeminiGatewayTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Glassbox:MaxRequestBodyBytes"] = "2048",
        ["Glassbox:Upstreams:Gemini:Retry:BaseDelay"] = "00:00:00.01",
        ["Glassbox:Upstreams:Gemini:CircuitBreaker:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StreamGenerateContent_Sse_BytesUnchangedAndSpanHasModelTokensFinishAndTtft()
    {
        var model = AiRequests.UniqueModel("gemini-2.5-flash");
        (string, string)[] controls =
        [
            ("x-sim-id", "R1"), ("x-sim-content", "thinking"), ("x-sim-deltas", "3"), ("x-sim-ttft-ms", "200"), ("x-sim-input-tokens", "11"),
            ("x-sim-cache-read-tokens", "5"), ("x-sim-reasoning-tokens", "4"), ("x-sim-tool-use-prompt-tokens", "2"),
        ];
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse: true, controls));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await DirectAsync(GeminiRequests.Post(model, stream: true, sse: true, controls)), body);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal($"generate_content {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("generate_content", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("gcp.gemini", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(model, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal("/v1beta/models/{model}:streamGenerateContent", span.GetTagItem("glassbox.route"));
        Assert.Equal(new[] { "STOP" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal("STOP", span.GetTagItem("ai.stop_reason"));
        Assert.Equal(13L, span.GetTagItem("gen_ai.usage.input_tokens"));          // promptTokenCount 11 + toolUsePromptTokenCount 2
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));          // candidatesTokenCount 3 + thoughtsTokenCount 4
        Assert.Equal(4L, span.GetTagItem("gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal(5L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Null(span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal(11L, span.GetTagItem("ai.tokens.input"));                    // the provider's own counts
        Assert.Equal(3L, span.GetTagItem("ai.tokens.output"));
        Assert.Equal(6, span.GetTagItem("ai.chunks"));                              // three thought chunks, three text chunks
        Assert.InRange(Assert.IsType<double>(span.GetTagItem("ai.ttft_ms")), 200, 200 + 1500);
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(256L, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(0.5, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(0.9, span.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(40L, span.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal(new[] { "END" }, span.GetTagItem("gen_ai.request.stop_sequences"));
        Assert.Equal(1, span.GetTagItem("ai.message_count"));
        Assert.Null(span.GetTagItem("ai.error.type"));
        // Priced as Google bills: uncached input 13 - 5, cache reads 5, output with the thoughts 7 (gemini-2.5-flash list prices).
        Assert.Equal("gemini-2.5-flash", span.GetTagItem("glassbox.price.model"));
        Assert.Equal((double)(((8 * 0.3m) + (7 * 2.5m) + (5 * 0.03m)) / 1_000_000m), Assert.IsType<double>(span.GetTagItem("ai.cost_usd")), 1e-12);
    }

    [Fact]
    public async Task StreamGenerateContent_JsonArray_ObservedElementByElementNotAtTheEnd()
    {
        var model = AiRequests.UniqueModel("gemini-array");
        (string, string)[] controls = [("x-sim-id", "A1"), ("x-sim-deltas", "4"), ("x-sim-ttft-ms", "100"), ("x-sim-delta-gap-ms", "250")];
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse: false, controls));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(await DirectAsync(GeminiRequests.Post(model, stream: true, sse: false, controls)), body);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(4, span.GetTagItem("ai.chunks"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(4L, span.GetTagItem("ai.tokens.output"));
        // The first element was timed when it arrived, three gaps of 250 ms before the last one.
        var ttftMs = Assert.IsType<double>(span.GetTagItem("ai.ttft_ms"));
        var generationMs = Assert.IsType<double>(span.GetTagItem("glassbox.generation_ms"));
        Assert.True(generationMs >= 3 * 250 - 50, $"generation {generationMs} ms");
        Assert.True(Assert.IsType<double>(span.GetTagItem("ai.latency_ms")) >= ttftMs + generationMs - 1);
    }

    [Fact]
    public async Task GenerateContent_NonStreaming_UsageAndFinishWithoutStreamTiming()
    {
        var model = AiRequests.UniqueModel("gemini-unary");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: false, sse: false,
            ("x-sim-id", "U1"), ("x-sim-input-tokens", "20"), ("x-sim-output-tokens", "6"), ("x-sim-finish-reason", "MAX_TOKENS")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("MAX_TOKENS", json.RootElement.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal($"generate_content {model}", span.DisplayName);
        Assert.Equal(false, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal("U1", span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "MAX_TOKENS" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(20L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(6L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Null(span.GetTagItem("gen_ai.usage.reasoning.output_tokens"));     // absent stays absent
        Assert.Null(span.GetTagItem("ai.ttft_ms"));
        Assert.Equal(0, span.GetTagItem("ai.chunks"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamGenerateContent_BlockedPrompt_BlockReasonIsTheStopReasonAndTheAnswerIsComplete(bool sse)
    {
        var model = AiRequests.UniqueModel("gemini-blocked");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse, ("x-sim-content", "blocked")));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(new[] { "SAFETY" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(0, span.GetTagItem("ai.chunks"));
        Assert.Null(span.GetTagItem("ai.ttft_ms")); // usage metadata alone is no generated content
        Assert.Null(span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task GenerateContent_429WithRetryInfo_RetriedAfterTheDelayTheBodyAsksFor()
    {
        var model = AiRequests.UniqueModel("gemini-retry");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = _harness.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse: true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-delay", "1.2s"), ("x-sim-fail-times", "1"), ("x-sim-scenario", scenario)));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.1), $"answered after {clock.Elapsed}: the RetryInfo delay was not waited");
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(1, span.GetTagItem("ai.retry_count"));
        var first = _harness.SpansOfTrace(span.TraceId).Single(s => s.DisplayName == "upstream attempt" && Equals(s.GetTagItem("glassbox.attempt.number"), 1));
        Assert.Equal(1200.0, Convert.ToDouble(first.GetTagItem("glassbox.retry.delay_ms"), System.Globalization.CultureInfo.InvariantCulture), 1.0);
    }

    [Theory]
    [InlineData(429, "rate_limit", "RESOURCE_EXHAUSTED")]
    [InlineData(503, "overloaded", "UNAVAILABLE")]
    [InlineData(500, "api_error", "INTERNAL")]
    [InlineData(504, "timeout", "DEADLINE_EXCEEDED")]
    [InlineData(400, "invalid_request", "INVALID_ARGUMENT")]
    [InlineData(401, "authentication", "UNAUTHENTICATED")]
    [InlineData(403, "permission", "PERMISSION_DENIED")]
    [InlineData(404, "not_found", "NOT_FOUND")]
    public async Task GenerateContent_UpstreamError_ForwardedWithItsBodyAndMappedFromTheRpcStatus(int status, string aiType, string rpcStatus)
    {
        var model = AiRequests.UniqueModel("gemini-error");
        using var client = _harness.CreateClient();
        // A wait longer than Retry:MaxDelay is not retried: the answer goes out at once, its body intact.
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: false, sse: false,
            ("x-sim-fault", "status"), ("x-sim-status", $"{status}"), ("x-sim-retry-delay", "30s")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(rpcStatus, json.RootElement.GetProperty("error").GetProperty("status").GetString());
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(aiType, span.GetTagItem("ai.error.type"));
        Assert.Equal(rpcStatus, span.GetTagItem("error.type"));
        Assert.Equal(status, span.GetTagItem("ai.error.status"));
        Assert.Equal("30s", span.GetTagItem("ai.error.retry_after"));
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task StreamGenerateContent_SseResetBetweenEvents_ClientGetsAnErrorChunkNotATruncatedAnswer()
    {
        var model = AiRequests.UniqueModel("gemini-reset");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse: true, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2")),
            HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("word1", body, StringComparison.Ordinal);
        var last = body.TrimEnd().Split("\r\n\r\n").Last();
        Assert.StartsWith("data: ", last, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(last["data: ".Length..]))
        {
            var error = json.RootElement.GetProperty("error");
            Assert.Equal(503, error.GetProperty("code").GetInt32());
            Assert.Equal("UNAVAILABLE", error.GetProperty("status").GetString());
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
        Assert.Equal(2, span.GetTagItem("ai.chunks"));
    }

    [Fact]
    public async Task StreamGenerateContent_JsonArrayReset_ClientResponseAbortedNotClosedCleanly()
    {
        var model = AiRequests.UniqueModel("gemini-array-reset");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse: false, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2")),
            HttpCompletionOption.ResponseHeadersRead);

        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
        Assert.Equal(2, span.GetTagItem("ai.chunks"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamGenerateContent_ErrorChunkMidStream_RecordedAsTheProvidersError(bool sse)
    {
        var model = AiRequests.UniqueModel("gemini-error-chunk");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post(model, stream: true, sse, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1")));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("overloaded", span.GetTagItem("ai.error.type"));
        Assert.Equal("UNAVAILABLE", span.GetTagItem("error.type"));
        Assert.Equal(1, span.GetTagItem("ai.chunks"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Theory]
    [InlineData("countTokens")]
    [InlineData("embedContent")]
    public async Task CountTokensAndEmbedContent_ForwardedToGeminiWithoutACallSpan(string method)
    {
        var model = AiRequests.UniqueModel("gemini-" + method);
        var before = Stats.Requests;
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.PostRaw($"v1beta/models/{model}:{method}", GeminiRequests.Body()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, Stats.Requests);
        var trace = ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32));
        await Task.Delay(200);
        Assert.DoesNotContain(_harness.SpansOfTrace(trace), s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task Post_TunedModelAndV1_ModelFromThePath()
    {
        var name = AiRequests.UniqueModel("tuned");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.PostRaw($"v1/tunedModels/{name}:generateContent", GeminiRequests.Body()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await _harness.WaitForCallSpanAsync("tunedModels/" + name);
        Assert.Equal($"generate_content tunedModels/{name}", span.DisplayName);
        Assert.Equal("/v1/tunedModels/{model}:generateContent", span.GetTagItem("glassbox.route"));
    }

    [Fact]
    public async Task Post_BodyTooLargeOrNotJson_GatewayAnswersInGooglesErrorShape()
    {
        using var client = _harness.CreateClient();
        using var tooLarge = await client.SendAsync(GeminiRequests.PostRaw(GeminiRequests.Path("m-large", stream: true), GeminiRequests.Body(new string('x', 4096))));
        using var notJson = await client.SendAsync(GeminiRequests.PostRaw(GeminiRequests.Path("m-bad", stream: false), "{\"contents\":["));

        await AssertGoogleErrorAsync(tooLarge, 413, "INVALID_ARGUMENT");
        await AssertGoogleErrorAsync(notJson, 400, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task Post_UpstreamUnreachable_502InGooglesErrorShape()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Gemini:BaseUrl"] = $"http://127.0.0.1:{LoopbackPorts.Closed()}",
            ["Glassbox:Upstreams:Gemini:Retry:MaxRetries"] = "0",
        });
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.Post("m-unreachable", stream: true));

        await AssertGoogleErrorAsync(response, 502, "UNAVAILABLE");
    }

    /// <summary>What Google answers: <c>{"error":{"code","message","status"}}</c> with the HTTP status as its code.</summary>
    internal static async Task AssertGoogleErrorAsync(HttpResponseMessage response, int status, string rpcStatus)
    {
        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(rpcStatus, error.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    /// <summary>The same request sent straight to the simulator, for a byte-for-byte comparison.</summary>
    private async Task<byte[]> DirectAsync(HttpRequestMessage request)
    {
        using var direct = new HttpClient { BaseAddress = _harness.SimulatorUri };
        using (request)
        using (var response = await direct.SendAsync(request))
        {
            return await response.Content.ReadAsByteArrayAsync();
        }
    }
}
