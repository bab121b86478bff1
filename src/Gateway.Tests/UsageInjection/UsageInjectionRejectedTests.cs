using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>An upstream that rejects <c>stream_options</c>: the call is sent again as the client wrote it, and the gateway stops injecting for that upstream.</summary>
public sealed class UsageInjectionRejectedTests
{
    private static HttpRequestMessage Chat(string model, params (string, string)[] headers) =>
        AiRequests.PostRaw("v1/chat/completions", $$"""{"model":"{{model}}","stream":true,"messages":[]}""", headers);

    [Fact]
    public async Task ChatStream_UpstreamRejectsStreamOptions_RetriedWithoutAndInjectionStopsForTheUpstream()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var first = AiRequests.UniqueModel("old-host");
        var second = AiRequests.UniqueModel("old-host");

        using var response = await client.SendAsync(Chat(first, ("x-sim-reject-stream-options", "1")));
        var body = await response.Content.ReadAsStringAsync();
        using var again = await client.SendAsync(Chat(second, ("x-sim-reject-stream-options", "1")));
        await again.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("[DONE]", body, StringComparison.Ordinal);
        var span = await harness.WaitForCallSpanAsync(first);
        Assert.Equal(false, span.GetTagItem("glassbox.usage_injected"));
        Assert.True(2 == harness.SpansOfTrace(span.TraceId).Count(s => s.DisplayName == "upstream attempt"),
            string.Join("\n", harness.SpansOfTrace(span.TraceId).Select(s => $"{s.DisplayName} {s.Source.Name} {string.Join(",", s.TagObjects.Select(t => t.Key + "=" + t.Value))}")));
        var next = await harness.WaitForCallSpanAsync(second);
        Assert.Equal(false, next.GetTagItem("glassbox.usage_injected"));
        Assert.Equal(1, harness.SpansOfTrace(next.TraceId).Count(s => s.DisplayName == "upstream attempt"));
        Assert.Equal(1, harness.CounterTotal("glassbox.usage_injection.disabled"));
        Assert.Single(harness.Logs.Lines, l => l.Contains("no longer injecting usage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatStream_Genuine400_ClientGetsIt_InjectionStaysOn()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("bad-request");

        using var response = await client.SendAsync(Chat(model, ("x-sim-fault", "status"), ("x-sim-status", "400")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request_error", body, StringComparison.Ordinal);
        Assert.Equal(0, harness.CounterTotal("glassbox.usage_injection.disabled"));
        var later = AiRequests.UniqueModel("bad-request");
        using var ok = await client.SendAsync(Chat(later));
        await ok.Content.ReadAsStringAsync();
        Assert.Equal(true, (await harness.WaitForCallSpanAsync(later)).GetTagItem("glassbox.usage_injected"));
    }
}
