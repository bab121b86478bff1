using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>More Gemini-family upstreams are configuration only, as for the other families.</summary>
public sealed class GeminiExtraUpstreamTests
{
    [Fact]
    public async Task Post_GeminiFamilyUpstreamWithPathPrefix_ObservedUnderItsPrefixWithItsProviderName()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:GeminiProxy:BaseUrl"] = GatewayHarness.SimulatorPlaceholder,
            ["Glassbox:Upstreams:GeminiProxy:Provider"] = "gcp.gemini.proxy",
            ["Glassbox:Upstreams:GeminiProxy:Api"] = "Gemini",
            ["Glassbox:Upstreams:GeminiProxy:PathPrefix"] = "/proxy",
        });
        var model = AiRequests.UniqueModel("gemini-proxied");
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(GeminiRequests.PostRaw("proxy/" + GeminiRequests.Path(model, stream: true), GeminiRequests.Body()));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("gcp.gemini.proxy", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("GeminiProxy", span.GetTagItem("glassbox.upstream"));
        Assert.Equal("/proxy/v1beta/models/{model}:streamGenerateContent", span.GetTagItem("glassbox.route"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));
    }
}
