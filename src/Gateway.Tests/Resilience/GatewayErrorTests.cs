using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>Errors the gateway answers itself: right status, a body in the caller's dialect, a span that says why.</summary>
public sealed class GatewayErrorTests
{
    private static readonly Dictionary<string, string?> NoRetries = new()
    {
        ["Glassbox:Upstreams:Anthropic:Retry:MaxRetries"] = "0",
        ["Glassbox:Upstreams:OpenAI:Retry:MaxRetries"] = "0",
    };

    [Fact]
    public async Task Send_UpstreamPortClosed_502InEachDialectAndTypedSdkErrors()
    {
        await using var harness = await GatewayHarness.StartAsync(NoRetries, upstreamOverride: new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}"));
        using var client = harness.CreateClient();

        var anthropicModel = AiRequests.UniqueModel("closed");
        using var anthropic = await client.SendAsync(AiRequests.Post("v1/messages", anthropicModel, stream: true));
        Assert.Equal(HttpStatusCode.BadGateway, anthropic.StatusCode);
        using (var json = JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync()))
        {
            Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
            Assert.Contains("connection refused", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var span = await harness.WaitForCallSpanAsync(anthropicModel);
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains(span.Events, e => e.Name == "exception");

        using var openai = await client.SendAsync(AiRequests.Post("v1/chat/completions", AiRequests.UniqueModel("closed"), stream: false));
        Assert.Equal(HttpStatusCode.BadGateway, openai.StatusCode);
        using (var json = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()))
        {
            Assert.Equal("upstream_unreachable", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var sdkError = await Assert.ThrowsAsync<Anthropic.Exceptions.Anthropic5xxException>(() => AnthropicSdk(harness).Messages.Create(AnthropicParams("closed-sdk")));
        Assert.Equal(HttpStatusCode.BadGateway, sdkError.StatusCode);
        Assert.Contains("could not reach the upstream", sdkError.ApiMessage, StringComparison.Ordinal);

        var openAiError = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(harness).CompleteChatAsync("hi"));
        Assert.Equal(502, openAiError.Status);
        Assert.Contains("could not reach the upstream", openAiError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_UpstreamHostDoesNotResolve_502SaysSo()
    {
        await using var harness = await GatewayHarness.StartAsync(NoRetries, upstreamOverride: new Uri("http://glassbox-no-such-host.invalid:9"));
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("dns");

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be resolved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var openAiError = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(harness).CompleteChatAsync("hi"));
        Assert.Equal(502, openAiError.Status);
        Assert.Contains("could not be resolved", openAiError.Message, StringComparison.Ordinal);
        var anthropicError = await Assert.ThrowsAsync<Anthropic.Exceptions.Anthropic5xxException>(() => AnthropicSdk(harness).Messages.Create(AnthropicParams("dns-sdk")));
        Assert.Contains("could not be resolved", anthropicError.ApiMessage, StringComparison.Ordinal);
        Assert.Equal("upstream_unreachable", (await harness.WaitForCallSpanAsync(model)).GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Send_HeadersNeverArrive_504AfterTheHeadersTimeout()
    {
        var settings = new Dictionary<string, string?>(NoRetries)
        {
            ["Glassbox:Upstreams:Anthropic:Timeouts:Headers"] = "00:00:01",
            ["Glassbox:Upstreams:OpenAI:Timeouts:Headers"] = "00:00:01",
        };
        await using var harness = await GatewayHarness.StartAsync(settings, new Dictionary<string, string?> { ["Simulator:HeadersDelayMs"] = "30000" });
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("noheaders");
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Contains("sent no response headers", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("timeout", span.GetTagItem("ai.error.type"));
        Assert.Equal("response_headers", span.GetTagItem("glassbox.timeout"));

        var sdkError = await Assert.ThrowsAsync<Anthropic.Exceptions.AnthropicGatewayTimeoutException>(() => AnthropicSdk(harness).Messages.Create(AnthropicParams("noheaders-sdk")));
        Assert.Contains("sent no response headers", sdkError.ApiMessage, StringComparison.Ordinal);
        var openAiError = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(harness).CompleteChatAsync("hi"));
        Assert.Equal(504, openAiError.Status);
        Assert.Contains("sent no response headers", openAiError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BodyOverTheLimit_413AndUpstreamNeverContacted()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:MaxRequestBodyBytes"] = "4096" });
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("huge");
        var huge = $$"""{"model":"{{model}}","max_tokens":10,"messages":[{"role":"user","content":"{{new string('x', 10_000)}}"}]}""";

        using var anthropic = await client.SendAsync(AiRequests.PostRaw("v1/messages", huge));
        using var openai = await client.SendAsync(AiRequests.PostRaw("v1/chat/completions", huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, anthropic.StatusCode);
        Assert.Contains("\"request_too_large\"", await anthropic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, openai.StatusCode);
        Assert.Contains("\"invalid_request_error\"", await openai.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, stats.Requests);
        var span = await harness.CallSpanOfAsync(anthropic);
        Assert.Equal("request_too_large", span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Send_BodyIsNotJson_400UnlessOperatorChoseTransparency()
    {
        await using var strict = await GatewayHarness.StartAsync();
        using var strictClient = strict.CreateClient();
        using var rejected = await strictClient.SendAsync(AiRequests.PostRaw("v1/messages", "{\"model\": \"x\", oops"));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("\"invalid_request_error\"", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, strict.SimulatorServices.GetRequiredService<SimulatorStats>().Requests);

        await using var transparent = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:ForwardInvalidJson"] = "true" });
        using var transparentClient = transparent.CreateClient();
        using var forwarded = await transparentClient.SendAsync(AiRequests.PostRaw("v1/messages", "{\"model\": \"x\", oops"));
        Assert.Equal(1, transparent.SimulatorServices.GetRequiredService<SimulatorStats>().Requests);
        Assert.Equal(HttpStatusCode.BadRequest, forwarded.StatusCode); // the upstream's own verdict
    }

    [Fact]
    public async Task Send_UpstreamKeepsFailing_CircuitOpensAndCallsFailFastWith503()
    {
        var settings = new Dictionary<string, string?>(NoRetries)
        {
            ["Glassbox:Upstreams:OpenAI:CircuitBreaker:MinimumThroughput"] = "4",
            ["Glassbox:Upstreams:OpenAI:CircuitBreaker:FailureRatio"] = "0.5",
            ["Glassbox:Upstreams:OpenAI:CircuitBreaker:BreakDuration"] = "00:00:30",
        };
        await using var harness = await GatewayHarness.StartAsync(settings);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            using var failing = await client.SendAsync(AiRequests.Post("v1/chat/completions", "breaker", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "500")));
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }

        var upstreamCalls = stats.Requests;
        var model = AiRequests.UniqueModel("open");
        using var rejected = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: false));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Contains("circuit breaker is open", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(upstreamCalls, stats.Requests);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Contains(span.Events, e => e.Name == "circuit_open");
        Assert.True(harness.Logs.Lines.Any(line => line.Contains("[CircuitOpened]", StringComparison.Ordinal) && line.Contains("Upstream=OpenAI", StringComparison.Ordinal)), string.Join("\n", harness.Logs.Lines));
        // Anthropic has its own circuit, still closed.
        using var other = await client.SendAsync(AiRequests.Post("v1/messages", "other", stream: false));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }


    private static Anthropic.AnthropicClient AnthropicSdk(GatewayHarness harness) =>
        new(new Anthropic.Core.ClientOptions { BaseUrl = harness.GatewayUri.ToString().TrimEnd('/'), ApiKey = AiRequests.ApiKey, MaxRetries = 0 });

    private static Anthropic.Models.Messages.MessageCreateParams AnthropicParams(string model) =>
        new() { Model = model, MaxTokens = 100, Messages = [new Anthropic.Models.Messages.UserMessageParam("hi")] };

    private static OpenAI.Chat.ChatClient OpenAISdk(GatewayHarness harness) =>
        new("sdk-model", new ApiKeyCredential(AiRequests.ApiKey), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri(harness.GatewayUri, "v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });
}
