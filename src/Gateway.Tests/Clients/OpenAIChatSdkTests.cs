using System.Diagnostics;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenAI.Chat;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>The official OpenAI SDK's ChatClient, pointed at the gateway by endpoint only, works unchanged and its calls are observed.</summary>
public sealed class OpenAIChatSdkTests : IAsyncLifetime
{
    private const int TtftMs = 400;
    private const int Deltas = 4;
    private const int InputTokens = 40;
    private const int CachedTokens = 12;
    private const int OutputTokens = 9;

    private GatewayHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:TimeToFirstTokenMs"] = $"{TtftMs}",
            ["Simulator:DeltaGapMs"] = "30",
            ["Simulator:Deltas"] = $"{Deltas}",
            ["Simulator:InputTokens"] = $"{InputTokens}",
            ["Simulator:CacheReadTokens"] = $"{CachedTokens}",
            ["Simulator:OutputTokens"] = $"{OutputTokens}",
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task CompleteChat_NonStreaming_ClientGetsCompletionAndSpanRecordsUsage()
    {
        var model = AiRequests.UniqueModel("sdk-chat");
        var chat = OpenAISdk.CreateChatClient(_harness, model);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(AiRequests.Prompt)]);

        Assert.Equal(model, completion.Model);
        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(InputTokens, completion.Usage.InputTokenCount);
        Assert.Equal(CachedTokens, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(OutputTokens, completion.Usage.OutputTokenCount);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "openai", model, stream: false);
        Assert.Equal(completion.Id, span.GetTagItem("gen_ai.response.id"));
        CallSpanAssert.FinishReason(span, "stop");
        AssertUsage(span);
        CallSpanAssert.NoStreamTiming(span);
    }

    [Fact]
    public async Task CompleteChatStreaming_PacedStream_ClientGetsDeltasAndSpanRecordsTtftAndUsage()
    {
        var model = AiRequests.UniqueModel("sdk-chat-stream");
        var chat = OpenAISdk.CreateChatClient(_harness, model);
        var text = new StringBuilder();
        string? responseModel = null;
        ChatFinishReason? finishReason = null;
        ChatTokenUsage? usage = null;
        TimeSpan? clientTtft = null;
        var clock = Stopwatch.StartNew();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(AiRequests.Prompt)]))
        {
            responseModel ??= update.Model;
            foreach (var part in update.ContentUpdate)
            {
                if (!string.IsNullOrEmpty(part.Text))
                {
                    clientTtft ??= clock.Elapsed;
                    text.Append(part.Text);
                }
            }

            finishReason ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(model, responseModel);
        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        // The SDK asks for include_usage by itself, so the final usage chunk arrives.
        Assert.NotNull(usage);
        Assert.Equal(InputTokens, usage.InputTokenCount);
        Assert.Equal(OutputTokens, usage.OutputTokenCount);
        Assert.NotNull(clientTtft);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "openai", model, stream: true);
        CallSpanAssert.FinishReason(span, "stop");
        AssertUsage(span);
        Assert.Equal(true, span.GetTagItem("glassbox.usage_reported"));
        CallSpanAssert.StreamTiming(span, TtftMs, Deltas, clientTtft.Value);
    }

    private static void AssertUsage(Activity span)
    {
        // OpenAI's prompt_tokens already includes the cached tokens: semconv input is not increased by them.
        Assert.Equal((long)InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal((long)InputTokens, span.GetTagItem("ai.tokens.input"));
        Assert.Equal((long)CachedTokens, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(true, span.GetTagItem("ai.cache_hit"));
        Assert.Equal((long)OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal((long)OutputTokens, span.GetTagItem("ai.tokens.output"));
    }
}
