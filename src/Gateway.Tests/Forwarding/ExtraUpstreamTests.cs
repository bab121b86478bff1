using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Forwarding;

/// <summary>Upstreams added by configuration only, and the catch-all route to the default upstream.</summary>
public sealed class ExtraUpstreamTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Glassbox:Upstreams:Groq:BaseUrl"] = GatewayHarness.SimulatorPlaceholder,
        ["Glassbox:Upstreams:Groq:Provider"] = "groq",
        ["Glassbox:Upstreams:Groq:Api"] = "OpenAI",
        ["Glassbox:Upstreams:Groq:PathPrefix"] = "/groq",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_ChatUnderTheExtraUpstreamsPrefix_ForwardedWithoutPrefixAndSpanNamesItsProvider(bool stream)
    {
        var model = AiRequests.UniqueModel("groq");
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("groq/v1/chat/completions", AiRequests.Body("v1/chat/completions", model, stream)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chat.completion", body, StringComparison.Ordinal);
        var span = await _harness.CallSpanOfAsync(response);
        Assert.Equal(model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("groq", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("groq", span.GetTagItem("ai.provider"));
        Assert.Equal("Groq", span.GetTagItem("glassbox.upstream"));
        Assert.Equal("/groq/v1/chat/completions", span.GetTagItem("glassbox.route"));
        Assert.NotNull(span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Null(span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Send_ResponsesUnderThePrefix_ObservedAsResponses()
    {
        var model = AiRequests.UniqueModel("groqresp");
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("groq/v1/responses", AiRequests.Body("v1/responses", model, stream: true)));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.CallSpanOfAsync(response);
        Assert.Equal("groq", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("responses", span.GetTagItem("openai.api.type"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
    }

    [Fact]
    public async Task Send_NonAiPathUnderThePrefix_ForwardedWithPrefixStrippedAndNoCallSpan()
    {
        using var client = _harness.CreateClient();

        // /_sim/stats exists only at the simulator's root: a 200 proves the prefix was stripped.
        using var response = await client.GetAsync(new Uri("groq/_sim/stats", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.TryGetProperty("requests", out _));
        await AssertNoCallSpanAsync(response);
    }

    [Fact]
    public async Task Send_AnthropicPathUnderAnOpenAIPrefix_ForwardedButNotObserved()
    {
        var model = AiRequests.UniqueModel("groqmsg");
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("groq/v1/messages", AiRequests.Body("v1/messages", model, stream: false)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"type\":\"message\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoCallSpanAsync(response);
    }

    [Fact]
    public async Task Send_ArbitraryGetPath_DefaultUpstreamsAnswerPassesThroughWithoutCallSpan()
    {
        using var client = _harness.CreateClient();

        using var unknown = await client.GetAsync(new Uri("v1/files/some-file?x=1", UriKind.Relative));
        using var known = await client.GetAsync(new Uri("_sim/stats", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode); // the simulator's own 404
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Contains("\"requests\"", await known.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoCallSpanAsync(unknown);
        await AssertNoCallSpanAsync(known);
    }

    [Fact]
    public async Task Send_CountTokensOnTheBuiltInRoute_ForwardedWithoutCallSpan()
    {
        var before = Stats.Requests;
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("v1/messages/count_tokens", """{"model":"m","messages":[]}""", ("x-sim-input-tokens", "17")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"input_tokens":17}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, Stats.Requests);
        await AssertNoCallSpanAsync(response);
    }

    /// <summary>Waits for the gateway's server span of the response's trace, then checks no call span joined it.</summary>
    private async Task AssertNoCallSpanAsync(HttpResponseMessage response)
    {
        var traceId = ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32));
        var deadline = Stopwatch.StartNew();
        while (!_harness.SpansOfTrace(traceId).Any(s => s.Kind == ActivityKind.Server && s.ParentSpanId == default))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"no server span in trace {traceId}");
            await Task.Delay(20);
        }

        Assert.DoesNotContain(_harness.SpansOfTrace(traceId), s => s.Source.Name == "Glassbox.Gateway");
    }
}
