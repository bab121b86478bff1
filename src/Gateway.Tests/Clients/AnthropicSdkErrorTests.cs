using Anthropic;
using Anthropic.Exceptions;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>An upstream 429 reaches the Anthropic SDK as its typed exception, and the span explains it.</summary>
public sealed class AnthropicSdkErrorTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;
    private AnthropicClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(
            gatewaySettings: new Dictionary<string, string?> { ["Glassbox:Upstreams:Anthropic:Retry:MaxRetries"] = "0" },
            simulatorSettings: new Dictionary<string, string?> { ["Simulator:Fault"] = "status", ["Simulator:Status"] = "429" });
        _client = AnthropicSdk.CreateClient(_harness);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_UpstreamRateLimited_SdkThrowsRateLimitExceptionAndSpanIsError(bool stream)
    {
        var model = AiRequests.UniqueModel(stream ? "sdk-ant-429-stream" : "sdk-ant-429");

        var exception = await Assert.ThrowsAsync<AnthropicRateLimitException>(async () =>
        {
            if (stream)
            {
                await foreach (var _ in _client.Messages.CreateStreaming(AnthropicSdk.Params(model)))
                {
                }
            }
            else
            {
                await _client.Messages.Create(AnthropicSdk.Params(model));
            }
        });

        Assert.Equal(429, (int)exception.StatusCode);
        Assert.Equal("rate_limit_error", exception.Type?.Raw());

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.FailedCall(span, model, "rate_limit", "rate_limit_error", 429, exception.ApiMessage);
    }
}
