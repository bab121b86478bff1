using Glassbox.Gateway.Attribution;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Attribution;

/// <summary>Attribution through a real gateway: the span says who the call is for, and the upstream never sees the gateway's headers.</summary>
public sealed class AttributionForwardingTests
{
    private const string Secret = "attribution-test-secret";

    [Fact]
    public async Task Send_GlassboxHeaders_RemovedBeforeForwardingEveryOtherHeaderUnchanged()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstream.Uri);
        using var client = harness.CreateClient();

        await upstream.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false,
            ("x-glassbox-app", "search"), ("X-Glassbox-Tag-Feature", "f1"), ("x-glassbox-anything", "1"),
            ("baggage", "glassbox.app=a,malformed"), ("x-custom", "kept")));
        // Not an AI route: the pass-through route strips them too.
        using (var passThrough = AiRequests.PostRaw("v1/messages/count_tokens", """{"model":"m"}""", ("x-glassbox-user", "u")))
            await upstream.SendAsync(client, passThrough);

        Assert.True(upstream.Headers.TryDequeue(out var ai));
        Assert.True(upstream.Headers.TryDequeue(out var plain));
        Assert.DoesNotContain(ai.Keys, k => k.StartsWith("x-glassbox-", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Keys, k => k.StartsWith("x-glassbox-", StringComparison.Ordinal));
        Assert.Equal("glassbox.app=a,malformed", ai["baggage"]);
        Assert.Equal("kept", ai["x-custom"]);
        Assert.Equal(AiRequests.ApiKey, ai["x-api-key"]);
    }

    [Theory]
    [InlineData("glassbox.app=reader,user.id=user%2042;ttl=60,tenant=acme")]
    [InlineData("b=2,a=1")]
    [InlineData("not valid baggage ,,, ;;")]
    public async Task Send_Baggage_ReachesTheUpstreamExactlyAsSent(string baggage)
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstream.Uri);
        using var client = harness.CreateClient();

        await upstream.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false, ("baggage", baggage),
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

        Assert.True(upstream.Headers.TryDequeue(out var seen));
        Assert.Equal(baggage, seen["baggage"]);
        // The trace header names the gateway's span, in the caller's trace.
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", seen["traceparent"], StringComparison.Ordinal);
        Assert.DoesNotContain("b7ad6b7169203331", seen["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_HeadersBaggageAndKeyAlias_OnTheCallSpan()
    {
        var keyId = new ApiKeyId(Secret).Of(AiRequests.ApiKey)!;
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Attribution:KeyIdSecret"] = Secret,
            [$"Glassbox:Attribution:KeyAliases:{keyId}"] = "team-search",
            ["Glassbox:Attribution:BaggageKeys:0"] = "tenant",
        });
        var model = AiRequests.UniqueModel("attributed");
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true,
            ("x-glassbox-endpoint", "/summarize"), ("x-glassbox-tag-feature", "digest"),
            ("baggage", "glassbox.app=reader,user.id=user%2042,tenant=acme"), ("User-Agent", "OpenAI/Python 1.99.0")));
        await response.Content.ReadAsStringAsync();

        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("reader", span.GetTagItem("glassbox.app"));
        Assert.Equal("/summarize", span.GetTagItem("glassbox.endpoint"));
        Assert.Equal("user 42", span.GetTagItem("user.id"));
        Assert.Equal("digest", span.GetTagItem("glassbox.tag.feature"));
        Assert.Equal("acme", span.GetTagItem("glassbox.tag.tenant"));
        Assert.Equal(keyId, span.GetTagItem("glassbox.api_key.id"));
        Assert.Equal("team-search", span.GetTagItem("glassbox.api_key.alias"));
        Assert.Equal("OpenAI/Python 1.99.0", span.GetTagItem("user_agent.original"));
    }

    [Fact]
    public async Task Send_HostileAttributionValues_CallSucceedsWithCleanedValues()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var model = AiRequests.UniqueModel("hostile");
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-glassbox-app", new string('a', 5000)), ("baggage", "glassbox.endpoint=%E0%A4")));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal(new string('a', AttributionValue.MaxBytes), span.GetTagItem("glassbox.app"));
        Assert.Null(span.GetTagItem("glassbox.endpoint")); // invalid UTF-8 in baggage: ignored, not fatal
    }
}
