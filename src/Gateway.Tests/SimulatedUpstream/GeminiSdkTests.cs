using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

/// <summary>The official Google Gen AI SDK (npm <c>@google/genai</c>) reads the simulated Gemini API as it reads Google's.</summary>
public sealed class GeminiSdkTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<JsonElement> CallAsync(bool stream, params (string Name, string Value)[] headers) =>
        NodeClients.RunAsync("genai-call.mjs", new
        {
            baseUrl = _host.BaseAddress.ToString().TrimEnd('/'),
            model = "gemini-2.5-flash",
            stream,
            headers = headers.ToDictionary(h => h.Name, h => h.Value),
        });

    [NodeFact]
    public async Task GenerateContentStream_ThinkingThenText_SdkSeesEveryChunkAndFinalUsage()
    {
        var result = await CallAsync(true, ("x-sim-deltas", "3"), ("x-sim-content", "thinking"), ("x-sim-reasoning-tokens", "4"), ("x-sim-input-tokens", "11"));

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(6, result.GetProperty("chunks").GetInt32());
        Assert.Equal("word0 word1 word2 ", result.GetProperty("text").GetString());
        Assert.Equal("thought0 thought1 thought2 ", result.GetProperty("thoughts").GetString());
        Assert.Equal("STOP", result.GetProperty("finishReason").GetString());
        Assert.Equal("gemini-2.5-flash", result.GetProperty("modelVersion").GetString());
        var usage = result.GetProperty("usage");
        Assert.Equal(11, usage.GetProperty("promptTokenCount").GetInt32());
        Assert.Equal(3, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(4, usage.GetProperty("thoughtsTokenCount").GetInt32());
    }

    [NodeFact]
    public async Task GenerateContent_FunctionCall_SdkReadsNameAndArguments()
    {
        var result = await CallAsync(false, ("x-sim-deltas", "2"), ("x-sim-content", "tool"), ("x-sim-id", "S1"));

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("get_weather", result.GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("word0 word1 ", result.GetProperty("functionCall").GetProperty("args").GetProperty("location").GetString());
        Assert.Equal("S1", result.GetProperty("responseId").GetString());
    }

    [NodeFact]
    public async Task GenerateContentStream_BlockedPrompt_SdkSeesBlockReason()
    {
        var result = await CallAsync(true, ("x-sim-content", "blocked"));

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("SAFETY", result.GetProperty("blockReason").GetString());
        Assert.Equal("", result.GetProperty("text").GetString());
    }

    [NodeFact]
    public async Task GenerateContent_429WithRetryInfo_SdkRaisesApiErrorWithStatus()
    {
        var result = await CallAsync(false, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-delay", "30s"));

        var error = result.GetProperty("error");
        Assert.Equal("ApiError", error.GetProperty("name").GetString());
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Contains("RESOURCE_EXHAUSTED", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [NodeFact]
    public async Task GenerateContentStream_ErrorChunk_SdkRaisesApiErrorMidStream()
    {
        var result = await CallAsync(true, ("x-sim-deltas", "3"), ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1"));

        var error = result.GetProperty("error");
        Assert.Equal(1, result.GetProperty("chunks").GetInt32());
        Assert.Equal("ApiError", error.GetProperty("name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
    }
}
