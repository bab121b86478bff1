using System.Net;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>
/// Usage for every Chat stream: through the gateway a stream that did not ask for usage reaches the client byte for
/// byte as the upstream sends it without usage, while the span gets exact tokens and cost.
/// </summary>
public sealed class UsageInjectionGatewayTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string ChatBody(string model, string? streamOptions = null) =>
        $$"""{"model":"{{model}}","stream":true,{{(streamOptions is null ? "" : "\"stream_options\":" + streamOptions + ",")}}"messages":[{"role":"user","content":"hi"}]}""";

    private static HttpRequestMessage Post(Uri baseAddress, string body, params (string Name, string Value)[] headers)
    {
        var request = AiRequests.PostRaw("v1/chat/completions", body, headers);
        request.RequestUri = new Uri(baseAddress, request.RequestUri!);
        return request;
    }

    private static async Task<string> BodyOfAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            return await response.Content.ReadAsStringAsync();
        }
    }

    public static TheoryData<string, string, bool> Scenarios() => new()
    {
        { "x-sim-deltas", "3", true },
        { "x-sim-content", "tool", true },
        { "x-sim-reasoning-tokens", "2", true },
        { "x-sim-compress", "gzip", true },          // the client accepts gzip: the injected stream is asked for uncompressed
        { "x-sim-fault", "error-event", false },     // cut before the usage chunk: no usage, bytes still as without injection
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ChatStream_WithoutIncludeUsage_ClientBytesAsWithoutInjectionAndSpanHasUsage(string header, string value, bool usageReported)
    {
        var model = AiRequests.UniqueModel("gpt-4o");
        (string, string)[] headers = [("x-sim-id", "INJ1"), ("x-sim-created", "1700000000"), ("x-sim-input-tokens", "40"), ("x-sim-output-tokens", "7"),
            ("x-sim-fault-after", "2"), (header, value)];
        using var direct = new HttpClient();
        var expected = await BodyOfAsync(direct, Post(_harness.SimulatorUri, ChatBody(model), headers));
        using var client = _harness.CreateClient();

        var viaGateway = await BodyOfAsync(client, Post(_harness.GatewayUri, ChatBody(model), [.. headers, ("Accept-Encoding", "gzip")]));

        Assert.Equal(expected, viaGateway);
        Assert.DoesNotContain("\"usage\"", viaGateway, StringComparison.Ordinal);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(true, span.GetTagItem("glassbox.usage_injected"));
        Assert.Equal(usageReported, span.GetTagItem("glassbox.usage_reported"));
        if (!usageReported)
        {
            return;
        }

        Assert.Equal(40L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.NotNull(span.GetTagItem("ai.cost_usd"));
    }

    [Fact]
    public async Task ChatStream_ClientAskedForUsage_NothingTouched()
    {
        var model = AiRequests.UniqueModel("gpt-4o");
        (string, string)[] headers = [("x-sim-id", "INJ2"), ("x-sim-created", "1700000000")];
        var body = ChatBody(model, """{"include_usage":true}""");
        using var direct = new HttpClient();
        var expected = await BodyOfAsync(direct, Post(_harness.SimulatorUri, body, headers));
        using var client = _harness.CreateClient();

        Assert.Equal(expected, await BodyOfAsync(client, Post(_harness.GatewayUri, body, headers)));
        Assert.Null((await _harness.WaitForCallSpanAsync(model)).GetTagItem("glassbox.usage_injected"));
    }

    [Fact]
    public async Task ChatStream_AmbiguousBody_ForwardedUntouched()
    {
        var model = AiRequests.UniqueModel("gpt-4o");
        var body = $$"""{"model":"{{model}}","stream":true,"stream_options":{},"stream_options":{},"messages":[]}""";
        using var client = _harness.CreateClient();

        await BodyOfAsync(client, Post(_harness.GatewayUri, body));

        Assert.Equal(false, (await _harness.WaitForCallSpanAsync(model)).GetTagItem("glassbox.usage_injected"));
    }

    [NodeFact]
    public async Task OpenAIJavaScriptSdk_StreamWithoutUsage_SeesNoUsageChunkAndSpanHasTokens()
    {
        var model = AiRequests.UniqueModel("gpt-4o");
        var result = await NodeClients.RunAsync("openai-chat-stream.mjs", new
        {
            baseUrl = new Uri(_harness.GatewayUri, "v1").ToString(),
            model,
            headers = new Dictionary<string, string> { ["x-sim-deltas"] = "4", ["x-sim-input-tokens"] = "12", ["x-sim-output-tokens"] = "4" },
        });

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("word0 word1 word2 word3 ", result.GetProperty("text").GetString());
        Assert.Equal("stop", result.GetProperty("finishReason").GetString());
        Assert.Equal(0, result.GetProperty("usageChunks").GetInt32());
        Assert.Equal(0, result.GetProperty("emptyChoiceChunks").GetInt32());
        Assert.Equal(0, result.GetProperty("usageMembers").GetInt32());
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(true, span.GetTagItem("glassbox.usage_injected"));
        Assert.Equal(12L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(4L, span.GetTagItem("gen_ai.usage.output_tokens"));
    }
}
