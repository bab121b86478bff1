using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Forwarding;

/// <summary>A key configured on the gateway is sent only when the client sent none; a client's own key always wins.</summary>
public sealed class ApiKeyInjectionTests
{
    private const string GatewayKey = "sk-gateway-configured-key-42";
    private const string ClientKey = "sk-client-own-key-17";

    private static readonly Dictionary<string, string?> ConfiguredKeys = new()
    {
        ["Glassbox:Upstreams:Anthropic:ApiKey"] = GatewayKey,
        ["Glassbox:Upstreams:OpenAI:ApiKey"] = GatewayKey,
    };

    [Fact]
    public async Task Send_NoClientKeyAndKeyConfigured_UpstreamAccepts()
    {
        await using var harness = await GatewayHarness.StartAsync(ConfiguredKeys);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();

        using var anthropic = await client.SendAsync(WithoutKey(AiRequests.Post("v1/messages", "keyless", stream: false)));
        Assert.True(stats.LastAuthPresent);
        using var openai = await client.SendAsync(WithoutKey(AiRequests.Post("v1/chat/completions", "keyless", stream: true)));
        Assert.True(stats.LastAuthPresent);

        Assert.Equal(HttpStatusCode.OK, anthropic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
    }

    [Fact]
    public async Task Send_NoClientKeyAndNoKeyConfigured_UpstreamsOwn401PassesThrough()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("nokey");

        using var response = await client.SendAsync(WithoutKey(AiRequests.Post("v1/messages", model, stream: true)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("authentication_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(stats.LastAuthPresent);
        Assert.Equal("authentication", (await harness.WaitForCallSpanAsync(model)).GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Send_AgainstAHeaderEchoingUpstream_ConfiguredKeyOnlyWhenTheClientSentNone()
    {
        await using var echo = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(ConfiguredKeys, upstreamOverride: echo.Uri);
        using var client = harness.CreateClient();

        // Anthropic upstream, no key: x-api-key added, no Authorization.
        var seen = await echo.SendAsync(client, WithoutKey(AiRequests.Post("v1/messages", "m", stream: false)));
        Assert.Equal((GatewayKey, null), seen);

        // Anthropic upstream, the client's own x-api-key: untouched.
        seen = await echo.SendAsync(client, WithKey(AiRequests.Post("v1/messages", "m", stream: false), ("x-api-key", ClientKey)));
        Assert.Equal((ClientKey, null), seen);

        // Anthropic upstream, the client authenticates with a bearer token: nothing added.
        seen = await echo.SendAsync(client, WithKey(AiRequests.Post("v1/messages", "m", stream: false), ("Authorization", "Bearer " + ClientKey)));
        Assert.Equal((null, "Bearer " + ClientKey), seen);

        // OpenAI upstream, no key: Authorization: Bearer added.
        seen = await echo.SendAsync(client, WithoutKey(AiRequests.Post("v1/chat/completions", "m", stream: false)));
        Assert.Equal((null, "Bearer " + GatewayKey), seen);

        // OpenAI upstream, the client's own bearer token: untouched.
        seen = await echo.SendAsync(client, WithKey(AiRequests.Post("v1/responses", "m", stream: false), ("Authorization", "Bearer " + ClientKey)));
        Assert.Equal((null, "Bearer " + ClientKey), seen);

        // Non-AI routes of the upstream get it too (count_tokens needs a key like any call).
        seen = await echo.SendAsync(client, WithoutKey(AiRequests.PostRaw("v1/messages/count_tokens", """{"model":"m","messages":[]}""")));
        Assert.Equal((GatewayKey, null), seen);
    }

    private static HttpRequestMessage WithoutKey(HttpRequestMessage request)
    {
        request.Headers.Remove("x-api-key");
        request.Headers.Authorization = null;
        return request;
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage request, (string Name, string Value) key)
    {
        WithoutKey(request).Headers.TryAddWithoutValidation(key.Name, key.Value);
        return request;
    }
}
