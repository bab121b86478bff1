using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>
/// A body the upstream broke off must not reach the client as a complete one: where no dialect error
/// event fits between two events, the client's response is aborted, as the upstream's own break would look.
/// </summary>
public sealed class TruncationTests
{
    [Fact]
    public async Task Send_UpstreamBreaksInsideAJsonBody_ClientSeesTheBreakNotACompleteBody()
    {
        var partial = "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hel"u8.ToArray();
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        await using var upstream = builder.Build();
        // The break comes once the client holds the response headers, not after a fixed delay: on a loaded machine the
        // flushed bytes may still sit in the upstream's output when a timed abort drops the connection (then no answer
        // came at all, and 502 is right).
        var clientHasHeaders = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.MapPost("/v1/messages", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(partial);
            await context.Response.Body.FlushAsync();
            await clientHasHeaders.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Abort();
        });
        var upstreamUri = await LoopbackApp.StartAsync(upstream);
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstreamUri);
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("jsoncut");

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false), HttpCompletionOption.ResponseHeadersRead);
        clientHasHeaders.SetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_interrupted", span.GetTagItem("glassbox.end_reason"));
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Stream_CompressedStreamResetMidStream_ClientSeesTheBreakNotACleanEnd()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("gzipcut");
        var request = AiRequests.Post("v1/messages", model, stream: true, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2"), ("x-sim-compress", "gzip"));
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_interrupted", span.GetTagItem("glassbox.end_reason"));
    }
}
