using System.Diagnostics;
using System.Text;
using Anthropic;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>The official Anthropic SDK, pointed at the gateway by base URL only, works unchanged and its calls are observed.</summary>
public sealed class AnthropicSdkTests : IAsyncLifetime
{
    private const int TtftMs = 400;
    private const int Deltas = 4;
    private const long InputTokens = 31;
    private const long OutputTokens = 9;

    private GatewayHarness _harness = null!;
    private AnthropicClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:TimeToFirstTokenMs"] = $"{TtftMs}",
            ["Simulator:DeltaGapMs"] = "30",
            ["Simulator:Deltas"] = $"{Deltas}",
            ["Simulator:InputTokens"] = $"{InputTokens}",
            ["Simulator:OutputTokens"] = $"{OutputTokens}",
        });
        _client = AnthropicSdk.CreateClient(_harness);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Create_NonStreaming_ClientGetsMessageAndSpanRecordsUsage()
    {
        var model = AiRequests.UniqueModel("sdk-ant");

        var message = await _client.Messages.Create(AnthropicSdk.Params(model));

        Assert.Equal(model, message.Model.Raw());
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), text.Text);
        Assert.Equal("end_turn", message.StopReason?.Raw());
        Assert.Equal(InputTokens, message.Usage.InputTokens);
        Assert.Equal(OutputTokens, message.Usage.OutputTokens);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "anthropic", model, stream: false);
        Assert.Equal(message.ID, span.GetTagItem("gen_ai.response.id"));
        CallSpanAssert.FinishReason(span, "end_turn");
        Assert.Equal(InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(InputTokens, span.GetTagItem("ai.tokens.input"));
        Assert.Equal(OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(OutputTokens, span.GetTagItem("ai.tokens.output"));
        Assert.Equal(false, span.GetTagItem("ai.cache_hit"));
        CallSpanAssert.NoStreamTiming(span);
    }

    [Fact]
    public async Task CreateStreaming_PacedStream_ClientGetsDeltasAndSpanRecordsTtftAndUsage()
    {
        var model = AiRequests.UniqueModel("sdk-ant-stream");
        var text = new StringBuilder();
        string? responseModel = null, stopReason = null;
        long inputTokens = 0, outputTokens = 0;
        TimeSpan? clientTtft = null;
        var clock = Stopwatch.StartNew();

        await foreach (var ev in _client.Messages.CreateStreaming(AnthropicSdk.Params(model)))
        {
            if (ev.TryPickStart(out var start))
            {
                responseModel = start.Message.Model.Raw();
                inputTokens = start.Message.Usage.InputTokens;
            }
            else if (ev.TryPickContentBlockDelta(out var blockDelta) && blockDelta.Delta.TryPickText(out var textDelta))
            {
                clientTtft ??= clock.Elapsed;
                text.Append(textDelta.Text);
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                stopReason = messageDelta.Delta.StopReason?.Raw();
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.Equal(model, responseModel);
        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), text.ToString());
        Assert.Equal("end_turn", stopReason);
        Assert.Equal(InputTokens, inputTokens);
        Assert.Equal(OutputTokens, outputTokens);
        Assert.NotNull(clientTtft);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "anthropic", model, stream: true);
        CallSpanAssert.FinishReason(span, "end_turn");
        Assert.Equal(InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(InputTokens, span.GetTagItem("ai.tokens.input"));
        // message_start reports output_tokens 1; the span keeps message_delta's final cumulative count.
        Assert.Equal(OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(false, span.GetTagItem("ai.cache_hit"));
        CallSpanAssert.StreamTiming(span, TtftMs, Deltas, clientTtft.Value);
    }
}
