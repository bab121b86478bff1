using System.Net;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Tests.StreamObservation.Decompression;

/// <summary>Compressed upstream bodies through the gateway: the client gets them as sent, the span still has usage.</summary>
public sealed class CompressedResponseTests
{
    [Theory]
    [InlineData("v1/messages", "gzip")]
    [InlineData("v1/messages", "br")]
    [InlineData("v1/chat/completions", "br")]
    [InlineData("v1/responses", "br")]
    public async Task Send_NonStreamingCompressedBody_SpanHasUsage(string path, string encoding)
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var model = AiRequests.UniqueModel("zipjson");
            using var request = AiRequests.Post(path, model, stream: false, ("x-sim-compress", encoding), ("x-sim-output-tokens", "23"));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
            using var response = await client.SendAsync(request);
            Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
            await response.Content.ReadAsByteArrayAsync();

            var span = await harness.CallSpanOfAsync(response);
            Assert.Equal(23L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(model, span.GetTagItem("gen_ai.response.model"));
            Assert.Null(span.GetTagItem("glassbox.observation_problem"));
        }
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Send_BodyThatIsNotWhatItsEncodingSays_ClientGetsItAndSpanRecordsTheProblem(string encoding)
    {
        var garbage = Encoding.UTF8.GetBytes("""{"id":"msg_1","type":"message","usage":{"input_tokens":5,"output_tokens":6}} and then some""");
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        await using var upstream = builder.Build();
        upstream.MapPost("/v1/messages", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = encoding;
            await context.Response.Body.WriteAsync(garbage);
        });
        var upstreamUri = await LoopbackApp.StartAsync(upstream);
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstreamUri);
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("badzip");

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(garbage, await response.Content.ReadAsByteArrayAsync());
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal($"{encoding} body could not be decoded", span.GetTagItem("glassbox.observation_problem"));
        Assert.Null(span.GetTagItem("gen_ai.usage.output_tokens"));
    }
}
