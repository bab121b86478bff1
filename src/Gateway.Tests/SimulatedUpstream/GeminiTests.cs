using System.Net;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

/// <summary>The simulated Gemini API: its streams and bodies byte for byte, auth, errors and faults.</summary>
public sealed class GeminiTests : IAsyncLifetime
{
    private const string Body = """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""";
    private const string StreamPath = "v1beta/models/gemini-test:streamGenerateContent";
    private static readonly (string, string)[] TwoDeltas = [("x-sim-id", "G1"), ("x-sim-deltas", "2"), ("x-sim-input-tokens", "10")];

    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private const string Usage10 = "\"usageMetadata\": " + """{"promptTokenCount": 10,"totalTokenCount": 10,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 10}]}""";

    private static string Chunk(string parts, string? finish, string usage) =>
        "data: {\"candidates\": [{\"content\": {\"parts\": [" + parts + "],\"role\": \"model\"},"
        + (finish is null ? "" : "\"finishReason\": \"" + finish + "\",")
        + "\"index\": 0}]," + usage + ",\"modelVersion\": \"gemini-test\",\"responseId\": \"G1\"}\r\n\r\n";

    /// <summary>The payloads of a <c>\r\n</c>-framed event stream.</summary>
    private static List<string> DataOf(string body) =>
        [.. body.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Select(e => Assert.IsType<string>(e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : null))];

    [Fact]
    public async Task SseStream_TwoDeltas_MatchesGoldenBytes()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath + "?alt=sse", Body, true, [.. TwoDeltas, ("x-sim-reasoning-tokens", "3"), ("x-sim-cache-read-tokens", "4")]);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        const string partial = "\"usageMetadata\": " + """{"promptTokenCount": 10,"totalTokenCount": 10,"cachedContentTokenCount": 4,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 10}],"cacheTokensDetails": [{"modality": "TEXT","tokenCount": 4}]}""";
        const string final = "\"usageMetadata\": " + """{"promptTokenCount": 10,"candidatesTokenCount": 2,"totalTokenCount": 15,"cachedContentTokenCount": 4,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 10}],"cacheTokensDetails": [{"modality": "TEXT","tokenCount": 4}],"candidatesTokensDetails": [{"modality": "TEXT","tokenCount": 2}],"thoughtsTokenCount": 3}""";
        var expected = Chunk("""{"text": "word0 "}""", null, partial) + Chunk("""{"text": "word1 "}""", "STOP", final);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task JsonArrayStream_TwoDeltas_IsOneArrayOfIndentedResponses()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath, Body, true, TwoDeltas);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType?.ToString());
        Assert.StartsWith("[{\n  \"candidates\": [\n", body, StringComparison.Ordinal);
        Assert.Contains("\n}\r\n,\r\n{\n", body, StringComparison.Ordinal);
        Assert.EndsWith("\n}\r\n]", body, StringComparison.Ordinal);
        var elements = JsonDocument.Parse(body).RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, elements.Length);
        Assert.Equal("word1 ", elements[1].GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("STOP", elements[1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.False(elements[0].GetProperty("candidates")[0].TryGetProperty("finishReason", out _));
    }

    [Fact]
    public async Task GenerateContent_Thinking_ReturnsThoughtPartThenTextAndThoughtCount()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/models/gemini-test:generateContent", Body, true,
            [.. TwoDeltas, ("x-sim-content", "thinking"), ("x-sim-reasoning-tokens", "5"), ("x-sim-finish-reason", "MAX_TOKENS")]);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType?.ToString());
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
        var root = JsonDocument.Parse(body).RootElement;
        var candidate = root.GetProperty("candidates")[0];
        var parts = candidate.GetProperty("content").GetProperty("parts");
        Assert.Equal("thought0 thought1 ", parts[0].GetProperty("text").GetString());
        Assert.True(parts[0].GetProperty("thought").GetBoolean());
        Assert.Equal("word0 word1 ", parts[1].GetProperty("text").GetString());
        Assert.Equal("MAX_TOKENS", candidate.GetProperty("finishReason").GetString());
        Assert.Equal(5, root.GetProperty("usageMetadata").GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal(17, root.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32());
        Assert.Equal("gemini-test", root.GetProperty("modelVersion").GetString());
        Assert.Equal("G1", root.GetProperty("responseId").GetString());
    }

    [Fact]
    public async Task SseStream_Tool_OneFunctionCallChunkWithWholeArguments()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath + "?alt=sse", Body, true, [.. TwoDeltas, ("x-sim-content", "tool")]);

        using var response = await client.SendAsync(request);
        var events = DataOf(await response.Content.ReadAsStringAsync());

        var only = Assert.Single(events);
        var part = JsonDocument.Parse(only).RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0];
        Assert.Equal("get_weather", part.GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("word0 word1 ", part.GetProperty("functionCall").GetProperty("args").GetProperty("location").GetString());
    }

    [Fact]
    public async Task SseStream_BlockedPrompt_OneChunkWithBlockReasonAndNoCandidates()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath + "?alt=sse", Body, true, [.. TwoDeltas, ("x-sim-content", "blocked")]);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(
            """data: {"promptFeedback": {"blockReason": "SAFETY","safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT","probability": "HIGH"}]},""" + Usage10 + ""","modelVersion": "gemini-test","responseId": "G1"}""" + "\r\n\r\n",
            body);
    }

    [Fact]
    public async Task StatusFault_429WithRetryDelay_GoogleErrorWithRetryInfo()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1beta/models/gemini-test:generateContent", Body, true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-delay", "30s"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(
            "{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, please check your plan and billing details.\",\n"
            + "    \"status\": \"RESOURCE_EXHAUSTED\",\n    \"details\": [\n      {\n        \"@type\": \"type.googleapis.com/google.rpc.RetryInfo\",\n"
            + "        \"retryDelay\": \"30s\"\n      }\n    ]\n  }\n}\n",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(500, "INTERNAL")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public async Task StatusFault_Status_GoogleRpcStatusName(int status, string rpcStatus)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath + "?alt=sse", Body, true, ("x-sim-fault", "status"), ("x-sim-status", $"{status}"));

        using var response = await client.SendAsync(request);

        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(rpcStatus, error.GetProperty("status").GetString());
        Assert.False(error.TryGetProperty("details", out _));
    }

    [Fact]
    public async Task ErrorEventFault_SseStream_ErrorChunkThenEnd()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath + "?alt=sse", Body, true, [.. TwoDeltas, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1")]);

        using var response = await client.SendAsync(request);
        var events = DataOf(await response.Content.ReadAsStringAsync());

        Assert.Equal(2, events.Count);
        Assert.Equal("""{"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}""", events[1]);
    }

    [Fact]
    public async Task ErrorEventFault_JsonArrayStream_ErrorElementAndClosedArray()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(StreamPath, Body, true, [.. TwoDeltas, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1")]);

        using var response = await client.SendAsync(request);

        var elements = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, elements.Length);
        Assert.Equal("UNAVAILABLE", elements[1].GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("?key=gk-test", null)]
    [InlineData("", "x-goog-api-key")]
    public async Task Auth_KeyInQueryOrHeader_Accepted(string query, string? header)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1beta/models/gemini-test:generateContent" + query, Body, auth: false);
        if (header is not null)
            request.Headers.Add(header, "gk-test");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_host.Stats.LastAuthPresent);
    }

    [Fact]
    public async Task Auth_NoKey_403PermissionDenied()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1beta/models/gemini-test:generateContent", Body, auth: false);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("PERMISSION_DENIED", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("v1beta/models/gemini-test:countTokens", "totalTokens")]
    [InlineData("v1/models/text-embedding-004:embedContent", "embedding")]
    [InlineData("v1beta/tunedModels/my-tuned:generateContent", "candidates")]
    public async Task OtherMethods_Answer(string path, string member)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(path, Body, true, ("x-sim-input-tokens", "9"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty(member, out _));
    }

    [Fact]
    public async Task UnknownMethod_404InGoogleShape()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1beta/models/gemini-test:predictLongRunning", Body, true);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("status").GetString());
    }
}
