using System.Collections.Concurrent;
using System.Diagnostics;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Tests.Ingress;

/// <summary>
/// Forwarded headers name the client on the spans only when a known proxy sent them, and reach the upstream
/// exactly as the client sent them either way; the gateway adds none of its own.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<IHeaderDictionary> _upstreamSaw = new();
    private WebApplication _upstream = null!;
    private Uri _upstreamUri = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        _upstream = builder.Build();
        _upstream.MapPost("/v1/messages", (HttpContext context) =>
        {
            _upstreamSaw.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)));
            return Results.Text("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""", "application/json");
        });
        _upstreamUri = await LoopbackApp.StartAsync(_upstream);
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData(null, "203.0.113.7", "https")] // default: loopback is a known proxy
    [InlineData("10.0.0.0/8", "127.0.0.1", "http")] // the loopback peer is not one: its headers are not believed
    public async Task Send_ForwardedHeaders_SpansNameTheClientOnlyAKnownProxyVouchesFor_UpstreamGetsHeadersAsSent(string? knownNetworks, string client, string scheme)
    {
        var settings = knownNetworks is null ? [] : new Dictionary<string, string?> { ["Glassbox:ForwardedHeaders:KnownNetworks:0"] = knownNetworks };
        await using var harness = await GatewayHarness.StartAsync(settings, upstreamOverride: _upstreamUri);
        var model = "fwd-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await SendAsync(harness, model, ("X-Forwarded-For", "203.0.113.7, 127.0.0.1"), ("X-Forwarded-Proto", "https"), ("Forwarded", "for=203.0.113.7;proto=https"));

        var call = await harness.WaitForCallSpanAsync(model);
        var server = await ServerSpanOfAsync(harness, call);
        Assert.Equal(client, call.GetTagItem("client.address"));
        Assert.Equal(client, server.GetTagItem("client.address"));
        Assert.Equal(scheme, server.GetTagItem("url.scheme"));
        AssertForwardedUnchanged(Assert.Single(_upstreamSaw));
    }

    [Fact]
    public async Task Send_WithoutForwardedHeaders_UpstreamGetsNoneAdded()
    {
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: _upstreamUri);
        var model = "fwd-none-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await SendAsync(harness, model);

        var call = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("127.0.0.1", call.GetTagItem("client.address"));
        var saw = Assert.Single(_upstreamSaw);
        Assert.DoesNotContain(saw.Keys, name => name.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase) || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHarness harness, string model, params (string Name, string Value)[] headers)
    {
        using var client = harness.CreateClient();
        var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false, headers));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>The call span's parent; it ends a moment after the call span does.</summary>
    private static async Task<Activity> ServerSpanOfAsync(GatewayHarness harness, Activity call)
    {
        for (var i = 0; i < 500; i++)
        {
            if (harness.SpansOfTrace(call.TraceId).SingleOrDefault(s => s.Kind == ActivityKind.Server && s.SpanId == call.ParentSpanId) is { } server)
            {
                return server;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The server span was not exported.");
    }

    private static void AssertForwardedUnchanged(IHeaderDictionary saw)
    {
        Assert.Equal("203.0.113.7, 127.0.0.1", saw["X-Forwarded-For"].ToString());
        Assert.Equal("https", saw["X-Forwarded-Proto"].ToString());
        Assert.Equal("for=203.0.113.7;proto=https", saw["Forwarded"].ToString());
        Assert.False(saw.ContainsKey("X-Forwarded-Host"), "the gateway added X-Forwarded-Host");
        Assert.False(saw.ContainsKey("X-Forwarded-Prefix"), "the gateway added X-Forwarded-Prefix");
    }
}
