using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>
/// The official Google Gen AI SDK for JavaScript (npm <c>@google/genai</c>), its base URL pointed at the gateway, works
/// unchanged, and its calls are observed: what the client got and what the span says agree.
/// </summary>
public sealed class GoogleGenAISdkTests : IAsyncLifetime
{
    private const int TtftMs = 300;
    private const string TeamKey = "gk-gemini-team-61d0";
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static Task<JsonElement> CallAsync(GatewayHarness harness, string model, bool stream, string? apiKey = null, params (string Name, string Value)[] headers) =>
        NodeClients.RunAsync("genai-call.mjs", new
        {
            baseUrl = harness.GatewayUri.ToString().TrimEnd('/'),
            model,
            stream,
            apiKey,
            headers = headers.ToDictionary(h => h.Name, h => h.Value),
        });

    [NodeFact]
    public async Task GenerateContentStream_ThinkingThenText_ClientGetsEveryChunkAndSpanHasTokensFinishAndTtft()
    {
        var model = AiRequests.UniqueModel("gemini-sdk-stream");
        var result = await CallAsync(_harness, model, stream: true, null,
            ("x-sim-content", "thinking"), ("x-sim-deltas", "3"), ("x-sim-ttft-ms", $"{TtftMs}"), ("x-sim-delta-gap-ms", "20"),
            ("x-sim-input-tokens", "11"), ("x-sim-reasoning-tokens", "4"), ("x-sim-cache-read-tokens", "2"));

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(6, result.GetProperty("chunks").GetInt32());
        Assert.Equal(CallSpanAssert.SimulatedText(3), result.GetProperty("text").GetString());
        Assert.Equal("thought0 thought1 thought2 ", result.GetProperty("thoughts").GetString());
        Assert.Equal("STOP", result.GetProperty("finishReason").GetString());

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal($"generate_content {model}", span.DisplayName);
        Assert.Equal("generate_content", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("gcp.gemini", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(result.GetProperty("modelVersion").GetString(), span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(result.GetProperty("responseId").GetString(), span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "STOP" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        var usage = result.GetProperty("usage");
        Assert.Equal((long)usage.GetProperty("promptTokenCount").GetInt32(), span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal((long)(usage.GetProperty("candidatesTokenCount").GetInt32() + usage.GetProperty("thoughtsTokenCount").GetInt32()), span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(4L, span.GetTagItem("gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal(2L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(6, span.GetTagItem("ai.chunks"));
        Assert.InRange(Assert.IsType<double>(span.GetTagItem("ai.ttft_ms")), TtftMs, TtftMs + CallSpanAssert.TtftSlack.TotalMilliseconds);
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
        Assert.Null(span.GetTagItem("ai.error.type"));
    }

    [NodeFact]
    public async Task GenerateContent_NonStreaming_ClientGetsTheAnswerAndSpanItsUsage()
    {
        var model = AiRequests.UniqueModel("gemini-sdk-unary");
        var result = await CallAsync(_harness, model, stream: false, null, ("x-sim-deltas", "2"), ("x-sim-input-tokens", "8"), ("x-sim-finish-reason", "MAX_TOKENS"));

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(CallSpanAssert.SimulatedText(2), result.GetProperty("text").GetString());
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(false, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal(result.GetProperty("responseId").GetString(), span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "MAX_TOKENS" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(8L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(2L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Null(span.GetTagItem("ai.ttft_ms"));
    }

    [NodeFact]
    public async Task GenerateContentStream_UpstreamBreaksMidStream_SdkRaisesApiErrorNotATruncatedAnswer()
    {
        var model = AiRequests.UniqueModel("gemini-sdk-reset");
        var result = await CallAsync(_harness, model, stream: true, null, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2"));

        var error = result.GetProperty("error");
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Contains("upstream connection broke", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, result.GetProperty("chunks").GetInt32()); // what arrived before the break was delivered
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
        Assert.Equal(false, span.GetTagItem("glassbox.stream.completed"));
    }

    [NodeFact]
    public async Task GenerateContent_UpstreamRateLimit_SdkRaisesApiErrorWithTheStatusAndSpanHasTheRetryDelay()
    {
        var model = AiRequests.UniqueModel("gemini-sdk-429");
        var result = await CallAsync(_harness, model, stream: false, null, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-delay", "45s"));

        Assert.Equal(429, result.GetProperty("error").GetProperty("status").GetInt32());
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("rate_limit", span.GetTagItem("ai.error.type"));
        Assert.Equal("RESOURCE_EXHAUSTED", span.GetTagItem("error.type"));
        Assert.Equal("45s", span.GetTagItem("ai.error.retry_after"));
    }

    [NodeFact]
    public async Task GenerateContent_GatewayKeys_SdkWithItsGatewayKeyWorksAWrongKeyRaisesA401ApiError()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Auth:Keys:0"] = TeamKey,
            ["Glassbox:Upstreams:Gemini:ApiKey"] = "AIzaSy-upstream-operator-key",
        });
        var model = AiRequests.UniqueModel("gemini-sdk-keys");

        var accepted = await CallAsync(harness, model, stream: true, TeamKey);
        var refused = await CallAsync(harness, model, stream: false, "gk-not-issued");

        Assert.False(accepted.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(401, refused.GetProperty("error").GetProperty("status").GetInt32());
        Assert.Contains("UNAUTHENTICATED", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
