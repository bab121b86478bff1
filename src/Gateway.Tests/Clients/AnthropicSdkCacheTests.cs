using Anthropic;
using Anthropic.Models.Messages;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>Prompt caching reported by the upstream shows in what the SDK gets and in the span.</summary>
public sealed class AnthropicSdkCacheTests : IAsyncLifetime
{
    private const long InputTokens = 7;
    private const long CacheReadTokens = 100;
    private const long CacheCreationTokens = 20;

    private GatewayHarness _harness = null!;
    private AnthropicClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:Deltas"] = "2",
            ["Simulator:InputTokens"] = $"{InputTokens}",
            ["Simulator:CacheReadTokens"] = $"{CacheReadTokens}",
            ["Simulator:CacheCreationTokens"] = $"{CacheCreationTokens}",
        });
        _client = AnthropicSdk.CreateClient(_harness);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_CacheReadTokens_CacheHitAndSemconvInputIncludesCache(bool stream)
    {
        var model = AiRequests.UniqueModel(stream ? "sdk-ant-cache-stream" : "sdk-ant-cache");
        Usage usage;
        if (stream)
        {
            Usage? started = null;
            await foreach (var ev in _client.Messages.CreateStreaming(AnthropicSdk.Params(model)))
            {
                if (ev.TryPickStart(out var start))
                {
                    started = start.Message.Usage;
                }
            }

            usage = Assert.IsType<Usage>(started);
        }
        else
        {
            usage = (await _client.Messages.Create(AnthropicSdk.Params(model))).Usage;
        }

        Assert.Equal(InputTokens, usage.InputTokens);
        Assert.Equal(CacheReadTokens, usage.CacheReadInputTokens);
        Assert.Equal(CacheCreationTokens, usage.CacheCreationInputTokens);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "anthropic", model, stream);
        Assert.Equal(true, span.GetTagItem("ai.cache_hit"));
        Assert.Equal(InputTokens, span.GetTagItem("ai.tokens.input"));
        Assert.Equal(InputTokens + CacheReadTokens + CacheCreationTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(CacheReadTokens, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(CacheCreationTokens, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
    }
}
