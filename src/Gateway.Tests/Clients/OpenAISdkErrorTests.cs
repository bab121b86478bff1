#pragma warning disable OPENAI001 // ResponsesClient is [Experimental]
using System.ClientModel;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenAI.Chat;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>An upstream 429 reaches the OpenAI SDK as a ClientResultException with status 429, and the span explains it.</summary>
public sealed class OpenAISdkErrorTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await GatewayHarness.StartAsync(
            gatewaySettings: new Dictionary<string, string?> { ["Glassbox:Upstreams:OpenAI:Retry:MaxRetries"] = "0" },
            simulatorSettings: new Dictionary<string, string?> { ["Simulator:Fault"] = "status", ["Simulator:Status"] = "429" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteChat_UpstreamRateLimited_SdkThrowsClientResultExceptionAndSpanIsError(bool stream)
    {
        var model = AiRequests.UniqueModel(stream ? "sdk-chat-429-stream" : "sdk-chat-429");
        var chat = OpenAISdk.CreateChatClient(_harness, model);

        var exception = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            if (stream)
            {
                await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage(AiRequests.Prompt)]))
                {
                }
            }
            else
            {
                await chat.CompleteChatAsync([new UserChatMessage(AiRequests.Prompt)]);
            }
        });

        await AssertRateLimitedAsync(exception, model);
    }

    [Fact]
    public async Task CreateResponse_UpstreamRateLimited_SdkThrowsClientResultExceptionAndSpanIsError()
    {
        var model = AiRequests.UniqueModel("sdk-resp-429");
        var client = OpenAISdk.CreateResponsesClient(_harness);

        var exception = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(model, AiRequests.Prompt));

        await AssertRateLimitedAsync(exception, model);
    }

    private async Task AssertRateLimitedAsync(ClientResultException exception, string model)
    {
        Assert.Equal(429, exception.Status);
        var body = exception.GetRawResponse()?.Content.ToString();
        Assert.NotNull(body);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        // OpenAI's 429 body: type "requests", code "rate_limit_exceeded"; error.type carries the provider's type.
        Assert.Equal("requests", error.GetProperty("type").GetString());

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.FailedCall(span, model, "rate_limit", "requests", 429, error.GetProperty("message").GetString());
    }
}
